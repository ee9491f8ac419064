import { coalesced } from './coalesced';

/** A read whose answers the test gives, one per call, in order. */
function controlledReads() {
  const calls: { key: string; answer: (value: number) => void; fail: (err: Error) => void }[] = [];
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => {
      calls.push({ key, answer: resolve, fail: reject });
    });
  return { calls, read };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced reads', () => {
  it('runs a burst of identical calls as two reads, each answer read after its call began', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const first = counts('region-a');
    const during = [counts('region-a'), counts('region-a'), counts('region-a')];
    expect(calls).toHaveLength(1);
    calls[0]?.answer(1);
    expect(await first).toBe(1);
    await tick();
    // The calls that came while the first read ran share one read, started after it.
    expect(calls).toHaveLength(2);
    calls[1]?.answer(2);
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
    // Quiet again: the next call reads at once.
    const later = counts('region-a');
    expect(calls).toHaveLength(3);
    calls[2]?.answer(3);
    expect(await later).toBe(3);
  });

  it('never shares a read between different keys', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const a = counts('region-a');
    const b = counts('region-b');
    expect(calls.map((c) => c.key)).toEqual(['region-a', 'region-b']);
    calls[0]?.answer(1);
    calls[1]?.answer(2);
    expect([await a, await b]).toEqual([1, 2]);
  });

  it('gives a failed read’s error to its own callers only, and reads again for the others', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const first = counts('region-a');
    const waiting = counts('region-a');
    calls[0]?.fail(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]?.answer(7);
    expect(await waiting).toBe(7);
  });
});
