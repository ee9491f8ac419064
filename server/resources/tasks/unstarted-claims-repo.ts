import { and, isNull, not, sql, type SQL } from 'drizzle-orm';
import { coordinationSettings } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import type { EventMeta } from '../../db/events';
import { regionSettings, tasks, type TaskRow } from '../../db/schema';
import { changeTasksWithEvents, realTasks } from './tasks-repo';
import { unstartedForSql } from './task-rules';

/** The hours a region gives a claim before `setting` applies, as SQL over the task's region. */
function regionHours(setting: 'staleClaimHours' | 'remindAfterHours'): SQL {
  const column = regionSettings[setting];
  const fallback = sql.raw(String(coordinationSettings[setting].default));
  return sql`coalesce((select ${column} from ${regionSettings} where ${regionSettings.regionId} = ${tasks.regionId}), ${fallback})`;
}

/** Nothing is reminded or released before the shortest a region may set: lets the partial index serve. */
function atLeastMinimum(setting: 'staleClaimHours' | 'remindAfterHours', now: Date): SQL {
  const hours = sql.raw(String(coordinationSettings[setting].min));
  return sql`${tasks.claimedAt} <= ${now}::timestamptz - make_interval(hours => ${hours})`;
}

/** By the system, not by someone: the history shows it as such. */
const bySystem = { actorUserId: null, actorCommuneId: null } as const;

/**
 * Sends back to open every claim not started within its region's `staleClaimHours` (as of `now`):
 * the same change as a release, by the system, each with its event, in one statement. The UPDATE
 * re-reads each row it changes, so a claim started or released meanwhile is left as it is.
 */
export async function releaseStaleClaims(db: Executor, now: Date): Promise<TaskRow[]> {
  const meta: EventMeta = { action: 'release', ...bySystem, fromStatus: 'claimed', note: null };
  return changeTasksWithEvents(
    db,
    db.$with('changed').as(
      db
        .update(tasks)
        .set({
          status: 'open',
          claimedByCommuneId: null,
          claimedByUserId: null,
          claimedAt: null,
          remindedAt: null,
          version: sql`${tasks.version} + 1`,
          updatedAt: now,
        })
        .where(
          and(
            realTasks(),
            atLeastMinimum('staleClaimHours', now),
            unstartedForSql(tasks, regionHours('staleClaimHours'), sql`${now}::timestamptz`),
          ),
        )
        .returning(),
    ),
    meta,
  );
}

/**
 * Marks every claim not started within its region's `remindAfterHours` and not yet reminded as
 * reminded, with a `reminded` event by the system (what the notifications will pick up). A claim is
 * reminded once: `remindedAt` goes back to null only when the task is claimed again. Not a change of
 * the task's content, so its version stays: the holder's next start is not refused as stale. A claim
 * already past `staleClaimHours` is not reminded: it is being released, whichever instance runs first.
 */
export async function remindUnstartedClaims(db: Executor, now: Date): Promise<TaskRow[]> {
  const meta: EventMeta = { action: 'reminded', ...bySystem, fromStatus: 'claimed', note: null };
  return changeTasksWithEvents(
    db,
    db.$with('changed').as(
      db
        .update(tasks)
        .set({ remindedAt: now })
        .where(
          and(
            realTasks(),
            isNull(tasks.remindedAt),
            atLeastMinimum('remindAfterHours', now),
            unstartedForSql(tasks, regionHours('remindAfterHours'), sql`${now}::timestamptz`),
            not(unstartedForSql(tasks, regionHours('staleClaimHours'), sql`${now}::timestamptz`)),
          ),
        )
        .returning(),
    ),
    meta,
  );
}
