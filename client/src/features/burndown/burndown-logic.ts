import type { Burndown } from '../../../../shared/schemas';

/** What the burn-down says in words: nothing pending, the date it will be, or that it is not going down. */
export type Outlook = { kind: 'clear' } | { kind: 'eta'; at: string } | { kind: 'stalled' };

export function outlookOf(b: Burndown): Outlook {
  if (b.backlog === 0) return { kind: 'clear' };
  if (b.converging && b.eta) return { kind: 'eta', at: b.eta };
  return { kind: 'stalled' };
}

/** The last `windowHours` hours' counts, from the rates (which are those counts an hour). */
export function recentCounts(b: Burndown): { posted: number; done: number; cancelled: number } {
  const count = (perHour: number) => Math.round(perHour * b.rates.windowHours);
  return {
    posted: count(b.rates.postedPerHour),
    done: count(b.rates.donePerHour),
    cancelled: count(b.rates.cancelledPerHour),
  };
}

export interface BurndownPoint {
  /** The hour's end, as an instant. */
  at: string;
  backlog: number;
  posted: number;
  finished: number;
}

/** One point a chart draws per hour: the backlog at its end, what came in and what went out. */
export function chartPoints(b: Burndown): BurndownPoint[] {
  return b.hours.map((h) => ({ at: h.end, backlog: h.backlog, posted: h.posted, finished: h.done + h.cancelled }));
}
