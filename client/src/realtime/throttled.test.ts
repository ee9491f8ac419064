import { throttled } from './throttled';

describe('throttled', () => {
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
});
