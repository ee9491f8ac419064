/**
 * Identical reads that arrive together, run once: a call whose key's read is under way waits for it
 * to end and then shares the next read with every call that came meanwhile, so each answer was read
 * after its call began (a caller still reads its own writes) and a burst of N identical calls costs at
 * most two reads. Calls with the same key must mean the same read. After a burst of claims, every
 * board watching a region asks for the same counts within the same second: this makes that one or two
 * queries, not hundreds.
 */
export function coalesced<A, T>(keyOf: (args: A) => string, read: (args: A) => Promise<T>): (args: A) => Promise<T> {
  const running = new Map<string, { current: Promise<T>; next?: Promise<T> }>();
  const start = (key: string, args: A): Promise<T> => {
    const entry: { current: Promise<T>; next?: Promise<T> } = { current: read(args) };
    running.set(key, entry);
    const settled = () => {
      if (running.get(key) === entry && !entry.next) running.delete(key);
    };
    entry.current.then(settled, settled);
    return entry.current;
  };
  return (args) => {
    const key = keyOf(args);
    const entry = running.get(key);
    if (!entry) return start(key, args);
    const again = () => start(key, args);
    entry.next ??= entry.current.then(again, again);
    return entry.next;
  };
}
