import { href, landing, parseRoute } from './router';

describe('hash routes', () => {
  it('reads the data protection pages by name', () => {
    for (const page of ['audit', 'chain-check', 'data-protection', 'recoveries'] as const) {
      expect(parseRoute(href({ page }))).toEqual({ page });
    }
  });

  it('lands the DPO on the audit trail rather than the board, which it may not see', () => {
    expect(landing(parseRoute(''), 'dpo')).toEqual({ page: 'audit' });
    expect(landing(parseRoute('#/board'), 'dpo')).toEqual({ page: 'audit' });
    expect(landing(parseRoute('#/nowhere'), 'dpo')).toEqual({ page: 'audit' });
    expect(landing(parseRoute('#/data-protection'), 'dpo')).toEqual({ page: 'data-protection' });
    expect(landing(parseRoute(''), 'clerk')).toEqual({ page: 'board' });
    expect(landing(parseRoute('#/recoveries'), 'manager')).toEqual({ page: 'recoveries' });
  });

  it('lands the admin on the console, never on the board or a task, and nobody else there', () => {
    expect(parseRoute('#/admin')).toEqual({ page: 'admin' });
    for (const hash of ['', '#/board', '#/dashboard', '#/post', '#/tasks/0b7e9b2e-1b4a-4c1e-9a57-2f0c8d1e6a10'])
      expect(landing(parseRoute(hash), 'admin')).toEqual({ page: 'admin' });
    expect(landing(parseRoute('#/chain-check'), 'admin')).toEqual({ page: 'chain-check' });
    expect(landing(parseRoute('#/admin'), 'clerk')).toEqual({ page: 'board' });
    expect(landing(parseRoute('#/admin'), 'dpo')).toEqual({ page: 'audit' });
  });

  it('lands the coordinator on the dashboard, and still shows the board when asked for it', () => {
    expect(landing(parseRoute(''), 'coordinator')).toEqual({ page: 'dashboard' });
    expect(landing(parseRoute('#/'), 'coordinator')).toEqual({ page: 'dashboard' });
    expect(landing(parseRoute('#/nowhere'), 'coordinator')).toEqual({ page: 'dashboard' });
    expect(landing(parseRoute('#/board'), 'coordinator')).toEqual({ page: 'board' });
    expect(landing(parseRoute(''), 'manager')).toEqual({ page: 'board' });
    expect(landing(parseRoute(''), 'admin')).toEqual({ page: 'admin' });
  });
});
