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
});
