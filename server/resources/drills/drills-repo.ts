import { and, asc, count, desc, eq, min, sql } from 'drizzle-orm';
import type { DrillReport } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { communes, drills, events, notifications, tasks, transferRequests, type DrillRow } from '../../db/schema';
import { overdueSql } from '../tasks/task-rules';
import { taskWorld } from '../tasks/tasks-repo';

export type NewDrillRow = typeof drills.$inferInsert;

/** Inserts a running drill; a drill already running in the region breaks `drills_running_key`. */
export async function insertDrill(db: Executor, values: NewDrillRow): Promise<DrillRow> {
  const [row] = await db.insert(drills).values(values).returning();
  if (!row) throw new Error('drill not inserted');
  return row;
}

export async function findDrill(db: Executor, id: string): Promise<DrillRow | undefined> {
  const [row] = await db.select().from(drills).where(eq(drills.id, id));
  return row;
}

export async function runningDrill(db: Executor, regionId: string): Promise<DrillRow | undefined> {
  const [row] = await db
    .select()
    .from(drills)
    .where(and(eq(drills.regionId, regionId), eq(drills.status, 'running')));
  return row;
}

/** The region's ended drills, newest first. */
export async function endedDrills(db: Executor, regionId: string, limit: number): Promise<DrillRow[]> {
  return db
    .select()
    .from(drills)
    .where(and(eq(drills.regionId, regionId), eq(drills.status, 'ended')))
    .orderBy(desc(drills.startedAt), asc(drills.id))
    .limit(limit);
}

/** The running drills whose planned time (`durationMinutes` from their start) has passed at `now`. */
export async function overDrills(db: Executor, now: Date): Promise<DrillRow[]> {
  return db
    .select()
    .from(drills)
    .where(
      and(
        eq(drills.status, 'running'),
        sql`${drills.startedAt} + ${drills.durationMinutes} * interval '1 minute' <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(drills.startedAt));
}

/** The drill, locked until the caller's transaction ends, if it still runs. */
export async function lockRunningDrill(db: Executor, id: string): Promise<DrillRow | undefined> {
  const [row] = await db
    .select()
    .from(drills)
    .where(and(eq(drills.id, id), eq(drills.status, 'running')))
    .for('update');
  return row;
}

export async function markDrillEnded(
  db: Executor,
  id: string,
  set: { endedBy: string | null; endedAt: Date; report: DrillReport },
): Promise<DrillRow> {
  const [row] = await db
    .update(drills)
    .set({ ...set, status: 'ended' })
    .where(eq(drills.id, id))
    .returning();
  if (!row) throw new Error('drill vanished while ending');
  return row;
}

/** The figures of the drill's made-up world as it is at `at` (before its traces are removed). */
export async function drillFigures(db: Executor, drill: DrillRow, at: Date): Promise<DrillReport> {
  const inDrill = taskWorld(drill.id);
  const [posted] = await db.select({ n: count() }).from(tasks).where(inDrill);
  const [overdue] = await db
    .select({ n: count() })
    .from(tasks)
    .where(and(inDrill, overdueSql(tasks, sql`${at.toISOString()}::timestamptz`)));
  // Both instants from the events, written by the database's clock: the wave's posting and the first claim.
  const [first] = await db
    .select({ at: min(events.createdAt) })
    .from(events)
    .where(and(eq(events.drillId, drill.id), eq(events.action, 'claim')));
  const [wave] = await db
    .select({ at: min(events.createdAt) })
    .from(events)
    .where(and(eq(events.drillId, drill.id), eq(events.action, 'create')));
  const claims = await db
    .select({ communeId: communes.id, communeName: communes.name, n: count() })
    .from(events)
    .innerJoin(communes, eq(communes.id, events.actorCommuneId))
    .where(and(eq(events.drillId, drill.id), eq(events.action, 'claim')))
    .groupBy(communes.id, communes.name)
    .orderBy(asc(communes.name));
  const done = await db
    .select({ communeId: communes.id, communeName: communes.name, n: count() })
    .from(tasks)
    .innerJoin(communes, eq(communes.id, tasks.claimedByCommuneId))
    .where(and(inDrill, eq(tasks.status, 'done')))
    .groupBy(communes.id, communes.name)
    .orderBy(asc(communes.name));
  const firstAt = first?.at ? new Date(first.at) : null;
  return {
    tasksPosted: posted?.n ?? 0,
    secondsToFirstClaim:
      firstAt && wave?.at ? Math.max(0, Math.round((firstAt.getTime() - new Date(wave.at).getTime()) / 1000)) : null,
    claimsPerCommune: claims,
    donePerCommune: done,
    doneTotal: done.reduce((sum, d) => sum + d.n, 0),
    overdueAtEnd: overdue?.n ?? 0,
  };
}

/**
 * Deletes every row the drill's made-up tasks left: their notifications, transfer requests, events
 * (never numbered nor chained: docs/drills.md), search texts (cascade) and the tasks themselves.
 */
export async function eraseDrillTraces(db: Executor, drillId: string): Promise<void> {
  const drillTasks = db.select({ id: tasks.id }).from(tasks).where(taskWorld(drillId));
  await db.delete(notifications).where(sql`${notifications.taskId} in ${drillTasks}`);
  await db.update(tasks).set({ transferRequestId: null }).where(taskWorld(drillId));
  await db.delete(transferRequests).where(sql`${transferRequests.taskId} in ${drillTasks}`);
  await db.delete(events).where(eq(events.drillId, drillId));
  await db.delete(tasks).where(taskWorld(drillId));
}
