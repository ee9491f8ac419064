import { onTheClock } from './on-the-clock';

describe('onTheClock', () => {
  afterEach(() => jest.useRealTimers());

  it('runs at the multiples of its period on the wall clock, whenever it started', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 28, 12, 0, 7) });
    const runs: string[] = [];
    const cancel = onTheClock(() => runs.push(new Date().toISOString().slice(11, 19)), 30_000);
    jest.advanceTimersByTime(22_999);
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(runs).toEqual(['12:00:30']);
    jest.advanceTimersByTime(60_000);
    expect(runs).toEqual(['12:00:30', '12:01:00', '12:01:30']);
    cancel();
    jest.advanceTimersByTime(60_000);
    expect(runs).toHaveLength(3);
  });

  it('two pages opened at different moments run in the same moment', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 28, 12, 0, 0, 250) });
    const runs: { page: string; at: number }[] = [];
    const cancels = [onTheClock(() => runs.push({ page: 'a', at: Date.now() }), 30_000)];
    jest.advanceTimersByTime(11_111);
    cancels.push(onTheClock(() => runs.push({ page: 'b', at: Date.now() }), 30_000));
    jest.advanceTimersByTime(30_000);
    const at = Date.UTC(2026, 10, 28, 12, 0, 30);
    expect(runs).toEqual([
      { page: 'a', at },
      { page: 'b', at },
    ]);
    for (const cancel of cancels) cancel();
  });

  it('waits for the multiple when a timer fires early, and after a sleep runs once, not once per multiple missed', () => {
    let clock = Date.UTC(2026, 10, 28, 12, 0, 10);
    const runs: number[] = [];
    const pending: { fn: () => void }[] = [];
    jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void) => {
      pending.push({ fn });
      return 0;
    }) as unknown as typeof setTimeout);
    try {
      onTheClock(
        () => runs.push(clock),
        30_000,
        () => clock,
      );
      // Fired 5 ms before the multiple: no run, it waits again.
      clock = Date.UTC(2026, 10, 28, 12, 0, 29, 995);
      pending.shift()?.fn();
      expect(runs).toEqual([]);
      clock = Date.UTC(2026, 10, 28, 12, 0, 30);
      pending.shift()?.fn();
      expect(runs).toEqual([clock]);
      // The device slept for five minutes: one run on waking, the next at the next multiple.
      clock = Date.UTC(2026, 10, 28, 12, 5, 12);
      pending.shift()?.fn();
      expect(runs).toHaveLength(2);
      clock = Date.UTC(2026, 10, 28, 12, 5, 30);
      pending.shift()?.fn();
      expect(runs).toEqual([Date.UTC(2026, 10, 28, 12, 0, 30), Date.UTC(2026, 10, 28, 12, 5, 12), clock]);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
