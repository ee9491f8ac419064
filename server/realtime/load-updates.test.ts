import { createLogger } from '../logger';
import { LOAD_INTERVAL_MS, LOAD_MAX_INTERVAL_MS, LoadUpdates, nextLoadDelay } from './load-updates';

/** A clock and a timer the test moves by hand, and loads whose answers it gives. */
function harness(watched = new Set(['region-a', 'region-b']), throwing = false) {
  let now = 0;
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  const reads: { regionId: string; answer: (loads: string) => void; fail: (err: Error) => void }[] = [];
  const sent: { regionId: string; seq: number; loads: string }[] = [];
  const warnings: unknown[] = [];
  const log = createLogger('silent');
  log.warn = (obj: unknown) => {
    warnings.push(obj);
  };
  const updates = new LoadUpdates<string>({
    loads: (regionId) => {
      if (throwing) throw new Error('not even a promise');
      return new Promise((resolve, reject) => {
        reads.push({ regionId, answer: resolve, fail: reject });
      });
    },
    watched: (regionId) => watched.has(regionId),
    send: (regionId, seq, loads) => sent.push({ regionId, seq, loads }),
    log,
    now: () => now,
    schedule: (run, ms) => {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  });
  /** Moves the clock on and fires the timers that fall due. */
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.at <= now) timer.run();
      else timers.push(timer);
    }
  };
  const pending = () => timers.filter((t) => !t.cancelled).map((t) => t.at);
  return { updates, reads, sent, warnings, advance, pending, settle: () => new Promise((r) => setImmediate(r)) };
}

describe('load updates', () => {
  it('waits twice a second on a small board, and ten times the last computation on a large one', () => {
    expect(nextLoadDelay(0)).toBe(LOAD_INTERVAL_MS);
    expect(nextLoadDelay(40)).toBe(LOAD_INTERVAL_MS);
    expect(nextLoadDelay(100)).toBe(1000);
    expect(nextLoadDelay(280.2)).toBe(2802);
    // An overloaded database: still at least twice a minute.
    expect(nextLoadDelay(10_000)).toBe(LOAD_MAX_INTERVAL_MS);
  });

  it('computes the changed regions once each, with the last sequence number, and paces by the cost', async () => {
    const h = harness();
    h.updates.changed('region-a', 1);
    h.updates.changed('region-b', 2);
    h.updates.changed('region-a', 3);
    h.updates.changed('region-c', 4); // nobody on this instance watches it
    expect(h.pending()).toEqual([LOAD_INTERVAL_MS]);
    h.advance(LOAD_INTERVAL_MS - 1);
    expect(h.reads).toHaveLength(0);
    h.advance(1);
    expect(h.reads.map((r) => r.regionId)).toEqual(['region-a', 'region-b']);

    // Changes during the computation wait for it; it takes 200 ms.
    h.updates.changed('region-a', 5);
    expect(h.pending()).toEqual([]);
    h.advance(200);
    h.reads[0]?.answer('loads a');
    h.reads[1]?.answer('loads b');
    await h.settle();
    expect(h.sent).toEqual([
      { regionId: 'region-a', seq: 3, loads: 'loads a' },
      { regionId: 'region-b', seq: 2, loads: 'loads b' },
    ]);
    // The next one waits ten times what that one took.
    expect(h.pending()).toEqual([700 + 2000]);
    h.advance(1999);
    expect(h.reads).toHaveLength(2);
    h.advance(1);
    expect(h.reads.map((r) => r.regionId)).toEqual(['region-a', 'region-b', 'region-a']);
    h.reads[2]?.answer('loads a again');
    await h.settle();
    expect(h.sent[2]).toEqual({ regionId: 'region-a', seq: 5, loads: 'loads a again' });
    // Quick again: back to twice a second, and nothing scheduled while nothing changes.
    expect(h.pending()).toEqual([]);
    h.updates.changed('region-b', 6);
    expect(h.pending()).toEqual([2700 + LOAD_INTERVAL_MS]);
  });

  it('logs a failed computation and carries on', async () => {
    const h = harness();
    h.updates.changed('region-a', 1);
    h.advance(LOAD_INTERVAL_MS);
    h.reads[0]?.fail(new Error('database gone'));
    await h.settle();
    expect(h.sent).toEqual([]);
    expect(h.warnings).toHaveLength(1);
    h.updates.changed('region-a', 2);
    h.advance(LOAD_INTERVAL_MS);
    h.reads[1]?.answer('loads');
    await h.settle();
    expect(h.sent).toEqual([{ regionId: 'region-a', seq: 2, loads: 'loads' }]);
  });

  it('logs a computation that throws instead of answering, and carries on', async () => {
    const h = harness(undefined, true);
    h.updates.changed('region-a', 1);
    h.advance(LOAD_INTERVAL_MS);
    await h.settle();
    expect(h.warnings).toHaveLength(1);
    h.updates.changed('region-a', 2);
    expect(h.pending()).toEqual([2 * LOAD_INTERVAL_MS]);
  });

  it('stops after the computation under way, and computes nothing more', async () => {
    const h = harness();
    h.updates.changed('region-a', 1);
    h.advance(LOAD_INTERVAL_MS);
    h.updates.changed('region-a', 2);
    let stopped = false;
    const stopping = h.updates.stop().then(() => (stopped = true));
    await h.settle();
    expect(stopped).toBe(false);
    h.reads[0]?.answer('loads');
    await stopping;
    expect(h.pending()).toEqual([]);
    h.updates.changed('region-a', 3);
    h.advance(10_000);
    expect(h.reads).toHaveLength(1);
  });
});
