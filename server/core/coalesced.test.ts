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
  it('runs the calls of one turn as one read, started on the next turn', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const burst = [counts('region-a'), counts('region-a'), counts('region-a')];
    expect(calls).toHaveLength(0);
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]?.answer(1);
    expect(await Promise.all(burst)).toEqual([1, 1, 1]);
  });

  it('gives the calls that come while a read runs the next read, each answer read after its call began', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const first = counts('region-a');
    await tick();
    expect(calls).toHaveLength(1);
    // The read is under way: these must not get its answer, read before they came.
    const during = [counts('region-a'), counts('region-a')];
    await tick();
    const alsoDuring = counts('region-a');
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]?.answer(1);
    expect(await first).toBe(1);
    // Those calls share one read, started a turn after the first ended.
    await tick();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]?.answer(2);
    expect(await Promise.all([...during, alsoDuring])).toEqual([2, 2, 2]);
    // Quiet again: the next call reads on the next turn.
    const later = counts('region-a');
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]?.answer(3);
    expect(await later).toBe(3);
  });

  it('lets calls that were held up by a read on this thread share the next one', async () => {
    // As on PGlite: the read keeps the thread until its answer, so the requests that arrive meanwhile
    // are handled only afterwards, all in the same later turn.
    let reads = 0;
    const counts = coalesced(
      (key: string) => key,
      (key: string) => {
        reads++;
        return Promise.resolve(`${key} read ${reads}`);
      },
    );
    const first = counts('region-a');
    await tick();
    expect(await first).toBe('region-a read 1');
    const heldUp = Array.from({ length: 200 }, () => counts('region-a'));
    expect(new Set(await Promise.all(heldUp))).toEqual(new Set(['region-a read 2']));
    expect(reads).toBe(2);
  });

  it('never shares a read between different keys', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const a = counts('region-a');
    const b = counts('region-b');
    await tick();
    expect(calls.map((c) => c.key)).toEqual(['region-a', 'region-b']);
    calls[0]?.answer(1);
    calls[1]?.answer(2);
    expect([await a, await b]).toEqual([1, 2]);
  });

  it('gives a failed read’s error to its own callers only, and reads again for the others', async () => {
    const { calls, read } = controlledReads();
    const counts = coalesced((key: string) => key, read);
    const first = counts('region-a');
    await tick();
    const waiting = counts('region-a');
    calls[0]?.fail(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]?.answer(7);
    expect(await waiting).toBe(7);
  });

  it('gives a read that throws at once to its callers as a rejection', async () => {
    const counts = coalesced(
      (key: string) => key,
      (): Promise<number> => {
        throw new Error('bad filter');
      },
    );
    await expect(Promise.all([counts('region-a'), counts('region-a')])).rejects.toThrow('bad filter');
    // Nothing is left waiting: the next call reads again.
    await expect(counts('region-a')).rejects.toThrow('bad filter');
  });
});
