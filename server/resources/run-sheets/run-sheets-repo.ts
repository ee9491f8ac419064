import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { tasks, type TaskRow } from '../../db/schema';
import { realTasks } from '../tasks/tasks-repo';

/** The region's tasks with these codes, read as codes are told apart (I and L alike: `taskCodeKey`). */
export async function findRegionTasksByCodeKeys(db: Executor, regionId: string, keys: string[]): Promise<TaskRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.regionId, regionId),
        realTasks(),
        sql`replace(${tasks.code}, 'L', 'I') = any(${sql.param(keys)}::text[])`,
      ),
    );
}

/**
 * The tasks locked for the rest of the caller's transaction, in id order (two reconciliations
 * touching the same tasks wait for each other rather than deadlock).
 */
export async function lockTasks(tx: Executor, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(tasks)
    .where(sql`${tasks.id} = any(${sql.param(ids)}::uuid[])`)
    .orderBy(asc(tasks.id))
    .for('no key update');
}
