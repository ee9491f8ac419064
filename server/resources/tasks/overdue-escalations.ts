import type { Job } from '../../jobs/scheduler';
import { escalateOverdue } from './overdue-escalations-repo';

/** Due dates and the step are in hours: every five minutes is soon enough. */
const EVERY_MS = 5 * 60_000;

/**
 * Escalates overdue tasks, by the system (SPEC.md, Coordination: "an escalation … to the holder then
 * the coordinator"): once a held task is overdue, an `escalated` event of level 1, which the
 * notifications bring to the holding commune; still overdue the region's `remindAfterHours` later,
 * level 2, to the region's coordinators. Each level once per task, once across instances (the job's
 * run and the level's condition both see to it). Level 2 first, so that no task climbs both in one run.
 */
export function overdueEscalationsJob(): Job {
  return {
    name: 'overdue-escalations',
    everyMs: EVERY_MS,
    async run(tx, now) {
      const coordinators = (await escalateOverdue(tx, 2, now)).length;
      const holders = (await escalateOverdue(tx, 1, now)).length;
      return { holders, coordinators };
    },
  };
}
