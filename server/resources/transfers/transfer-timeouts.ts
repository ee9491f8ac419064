import type { Job } from '../../jobs/scheduler';
import { timeOutTransfers } from './transfers';
import { expiredTransfers } from './transfers-repo';

/** Timeouts are set in minutes (five at least): looked at every minute. */
const EVERY_MS = 60_000;
const PAGE = 200;

/**
 * A transfer request left unanswered past its region's `transferTimeoutMinutes` moves the task to the
 * asking commune, by the system (SPEC.md, Coordination): once across instances, as every job.
 */
export function transferTimeoutsJob(): Job {
  return {
    name: 'transfer-timeouts',
    everyMs: EVERY_MS,
    run: (tx, now) => timeOutTransfers(tx, now, (after) => expiredTransfers(tx, now, after, PAGE)),
  };
}
