import type { Delivery } from '../../../../shared/schemas';
import { deliverySummary, prepareWebhook, refusedFields } from './webhook-draft';

describe('the webhook form', () => {
  it('takes an http(s) address and at least one event, and says which is missing', () => {
    expect(prepareWebhook(' https://portal.example.be/hook ', ['task.claimed'])).toEqual({
      input: { url: 'https://portal.example.be/hook', events: ['task.claimed'] },
    });
    expect(prepareWebhook('ftp://portal.example.be', [])).toEqual({ problems: { url: 'invalid', events: 'required' } });
    expect(prepareWebhook('', ['task.done'])).toEqual({ problems: { url: 'invalid' } });
  });

  it('puts a refusal of the server on its field', () => {
    expect(refusedFields([{ field: 'url', message: 'must not point at this server', code: 'invalid' }])).toEqual({
      url: 'refused',
    });
    expect(refusedFields([{ field: 'events.0', message: 'must be one of …', code: 'one_of' }])).toEqual({
      events: 'required',
    });
    expect(refusedFields(undefined)).toEqual({});
  });
});

describe('a line of the delivery log', () => {
  const base: Delivery = {
    id: '5d0c0000-0000-4000-8000-000000000000',
    event: 'task.claimed',
    status: 'pending',
    attempts: [],
    createdAt: '2026-11-27T15:47:00.000Z',
    nextAttemptAt: '2026-11-27T15:47:00.000Z',
    deliveredAt: null,
  };

  it('counts the attempts, gives the last outcome and, while pending, the next retry', () => {
    expect(deliverySummary(base)).toEqual({
      attempts: 0,
      last: undefined,
      nextRetryAt: '2026-11-27T15:47:00.000Z',
      deliveredAt: undefined,
    });
    const retried = {
      ...base,
      attempts: [
        { at: '2026-11-27T15:47:01.000Z', statusCode: null, error: 'connection refused', durationMs: 3 },
        { at: '2026-11-27T15:47:31.000Z', statusCode: 500, error: null, durationMs: 12 },
      ],
      nextAttemptAt: '2026-11-27T15:48:31.000Z',
    };
    expect(deliverySummary(retried)).toMatchObject({
      attempts: 2,
      last: { statusCode: 500, error: null },
      nextRetryAt: '2026-11-27T15:48:31.000Z',
    });
    const delivered = { ...retried, status: 'delivered' as const, deliveredAt: '2026-11-27T15:49:00.000Z' };
    expect(deliverySummary(delivered)).toMatchObject({
      nextRetryAt: undefined,
      deliveredAt: '2026-11-27T15:49:00.000Z',
    });
    expect(deliverySummary({ ...retried, status: 'failed' })).toMatchObject({ nextRetryAt: undefined });
  });
});
