/**
 * Runs `run` every `everyMs` at the wall clock's multiples of it (…:00 and …:30 for 30 s), not counted
 * from when the page opened. Every board of a region then reads its counts in the same moment, and the
 * server answers identical reads that arrive together with one query (server/core/coalesced.ts), where
 * boards on their own phases would each cost a count over the whole backlog. Runs missed while the
 * device slept make one run when it wakes, then the multiples again. Returns the cancel.
 */
/** The first multiple of `everyMs` on the clock strictly after `t`. */
export const nextMultipleAfter = (t: number, everyMs: number): number => Math.floor(t / everyMs) * everyMs + everyMs;

export function onTheClock(run: () => void, everyMs: number, now: () => number = Date.now): () => void {
  const nextAfter = (t: number) => nextMultipleAfter(t, everyMs);
  let due = nextAfter(now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(tick, Math.max(0, due - now()));
  };
  const tick = () => {
    const t = now();
    // A timer may fire a little early: wait for the multiple itself.
    if (t < due) {
      schedule();
      return;
    }
    run();
    due = nextAfter(t);
    schedule();
  };
  schedule();
  return () => clearTimeout(timer);
}
