import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { coordinationSettings } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { regionSettings, tasks, type TaskRow } from '../../db/schema';
import { overdueSql } from './task-rules';
import { changeTasksWithEvents, realTasks } from './tasks-repo';

/**
 * The tasks an escalation is about: overdue and held by a commune that works on them (claimed or in
 * progress). An open task has no holder to tell (the board and the dashboard show it late), and a
 * finished one is no longer late.
 */
const escalatedStatuses = ['claimed', 'in_progress'] as const;

/** The region's `remindAfterHours`: the step between telling the holder and telling the coordinators. */
const stepHours: SQL = sql`coalesce((select ${regionSettings.remindAfterHours} from ${regionSettings}
  where ${regionSettings.regionId} = ${tasks.regionId}), ${sql.raw(String(coordinationSettings.remindAfterHours.default))})`;

const bySystem = { action: 'escalated', actorUserId: null, actorCommuneId: null, note: null } as const;

/**
 * Raises to `level` every held, overdue task at the level below (for level 2, escalated to its holder
 * at least the region's `remindAfterHours` ago), each with an `escalated` event by the system, in one
 * statement. The level only rises, so each level happens once per task; the UPDATE re-reads each
 * row, so a task finished meanwhile is left alone. Not a change of the task's content: its version stays.
 */
export async function escalateOverdue(db: Executor, level: 1 | 2, now: Date): Promise<TaskRow[]> {
  const at = sql`${now}::timestamptz`;
  const changed = db.$with('changed').as(
    db
      .update(tasks)
      .set({ escalationLevel: level, escalatedAt: now })
      .where(
        and(
          realTasks(),
          inArray(tasks.status, [...escalatedStatuses]),
          eq(tasks.escalationLevel, level - 1),
          overdueSql(tasks, at),
          level === 2 ? sql`${tasks.escalatedAt} <= ${at} - make_interval(hours => ${stepHours})` : undefined,
        ),
      )
      .returning(),
  );
  // From the status it was in (claimed or in progress), to the same.
  return changeTasksWithEvents(db, changed, { ...bySystem, fromStatus: changed.status });
}
