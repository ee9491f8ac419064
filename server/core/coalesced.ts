/**
 * Identical reads that arrive together, run once. A read starts on the event loop's next turn, not at
 * the call, and the calls with its key that come before it starts share it; a call that comes while
 * its key's read runs shares the next one, which starts a turn after that read ends. Every answer is
 * thus read after its call began (a caller still reads its own writes), and the calls of one burst cost
 * a read or two. Calls with the same key must mean the same read.
 *
 * After a burst of claims, and on the clock's half-minutes, every board watching a region asks for the
 * same counts at once: this makes that a query or two, not hundreds. That holds for requests on open
 * connections, which are read in the same turn; Node was seen to accept new ones one per turn, and on
 * PGlite each turn holds a query, hence the long keep-alive in app.ts.
 */
export function coalesced<A, T>(keyOf: (args: A) => string, read: (args: A) => Promise<T>): (args: A) => Promise<T> {
  /** Per key, the read that calls now join: not started yet. */
  const waiting = new Map<string, Promise<T>>();
  /** Per key, the read under way. */
  const running = new Map<string, Promise<T>>();
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return (args) => {
    const key = keyOf(args);
    const joined = waiting.get(key);
    if (joined) return joined;
    const previous = running.get(key);
    const next = (previous ? previous.then(nextTurn, nextTurn) : nextTurn()).then(() => {
      waiting.delete(key);
      const current = read(args);
      running.set(key, current);
      const ended = () => {
        if (running.get(key) === current) running.delete(key);
      };
      current.then(ended, ended);
      return current;
    });
    waiting.set(key, next);
    return next;
  };
}
