import type { Job } from '../../jobs/scheduler';
import { releaseStaleClaims, remindUnstartedClaims } from './unstarted-claims-repo';

/** How often the claims not started are looked at: the settings are in hours, so every five minutes. */
const EVERY_MS = 5 * 60_000;

/**
 * A claim left unstarted past its region's `staleClaimHours` goes back to open, released by the
 * system (SPEC.md, Coordination), so that a commune that claimed and forgot does not hold up a citizen.
 */
export function staleClaimsJob(): Job {
  return {
    name: 'stale-claims',
    everyMs: EVERY_MS,
    async run(tx, now) {
      return { released: (await releaseStaleClaims(tx, now)).length };
    },
  };
}

/**
 * A claim not started after its region's `remindAfterHours` is reminded once, as a `reminded` event
 * in the task's history (and a badge on its card). The notifications inbox, when it exists, turns
 * these events into the holder's and then the coordinator's notifications.
 */
export function claimRemindersJob(): Job {
  return {
    name: 'claim-reminders',
    everyMs: EVERY_MS,
    async run(tx, now) {
      return { reminded: (await remindUnstartedClaims(tx, now)).length };
    },
  };
}
