import type { Burndown } from '../../../../shared/schemas';
import { chartPoints, outlookOf, recentCounts } from './burndown-logic';

const burndown = (over: Partial<Burndown>): Burndown => ({
  communeId: '00000000-0000-4000-8000-000000000001',
  asOf: '2026-03-12T12:30:00.000Z',
  hours: [
    {
      start: '2026-03-12T11:00:00.000Z',
      end: '2026-03-12T12:00:00.000Z',
      posted: 2,
      done: 1,
      cancelled: 1,
      backlog: 5,
    },
  ],
  backlog: 5,
  rates: { windowHours: 24, postedPerHour: 7 / 24, donePerHour: 2 / 24, cancelledPerHour: 3 / 24, netPerHour: -2 / 24 },
  converging: false,
  eta: null,
  ...over,
});

describe('the burn-down in the browser', () => {
  it('says whether the backlog is clear, when it will be, or that it is not going down', () => {
    expect(outlookOf(burndown({}))).toEqual({ kind: 'stalled' });
    expect(outlookOf(burndown({ converging: true, eta: '2026-03-13T12:30:00.000Z' }))).toEqual({
      kind: 'eta',
      at: '2026-03-13T12:30:00.000Z',
    });
    expect(outlookOf(burndown({ backlog: 0, converging: true, eta: '2026-03-12T12:30:00.000Z' }))).toEqual({
      kind: 'clear',
    });
  });

  it("gives the last day's counts back from the rates, and one chart point an hour", () => {
    expect(recentCounts(burndown({}))).toEqual({ posted: 7, done: 2, cancelled: 3 });
    expect(chartPoints(burndown({}))).toEqual([{ at: '2026-03-12T12:00:00.000Z', backlog: 5, posted: 2, finished: 2 }]);
  });
});
