import type { Burndown } from '../../../../shared/schemas';
import { chartPoints, outlookOf, recentCounts, throttled } from './burndown-logic';

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
  afterEach(() => jest.useRealTimers());

  it('runs at once, then at most once a window however many kicks come, and not after cancel', () => {
    jest.useFakeTimers();
    const runs: number[] = [];
    const throttle = throttled(() => runs.push(Date.now()), 1000);
    const t0 = Date.now();
    throttle.kick();
    throttle.kick();
    throttle.kick();
    expect(runs).toEqual([t0]);
    jest.advanceTimersByTime(999);
    expect(runs).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(runs).toEqual([t0, t0 + 1000]);
    jest.advanceTimersByTime(5000);
    throttle.kick();
    expect(runs).toHaveLength(3);
    throttle.kick();
    throttle.cancel();
    jest.advanceTimersByTime(5000);
    expect(runs).toHaveLength(3);
  });

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
