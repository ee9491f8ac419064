import { and, asc, eq, gt, ilike, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Priority, TaskStatus } from '../../shared/schemas';
import type { Executor } from './client';
import { communes, tasks, type TaskRow } from './schema';

export type NewTaskRow = typeof tasks.$inferInsert;

export async function insertTasks(db: Executor, values: NewTaskRow[]): Promise<TaskRow[]> {
  return db.insert(tasks).values(values).returning();
}

export async function findTask(db: Executor, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  return row;
}

/**
 * The claim: one conditional UPDATE. Whatever the number of simultaneous claims, the row lock and the
 * re-check of `status = 'open'` let exactly one through; the others update nothing.
 */
export async function claimOpenTask(
  db: Executor,
  claim: { taskId: string; regionId: string; communeId: string; userId: string },
): Promise<TaskRow | undefined> {
  const now = new Date();
  const [row] = await db
    .update(tasks)
    .set({
      status: 'claimed',
      claimedByCommuneId: claim.communeId,
      claimedByUserId: claim.userId,
      claimedAt: now,
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(and(
      eq(tasks.id, claim.taskId),
      eq(tasks.status, 'open'),
      eq(tasks.regionId, claim.regionId),
      ne(tasks.requestingCommuneId, claim.communeId),
    ))
    .returning();
  return row;
}

/** Applies `set` only if the task is still at `version` and in one of `from`. */
export async function updateTaskIf(
  db: Executor,
  where: { taskId: string; version: number; from: readonly TaskStatus[] },
  set: Partial<Omit<NewTaskRow, 'id' | 'version'>>,
): Promise<TaskRow | undefined> {
  const [row] = await db
    .update(tasks)
    .set({ ...set, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
    .where(and(eq(tasks.id, where.taskId), eq(tasks.version, where.version), inArray(tasks.status, [...where.from])))
    .returning();
  return row;
}

export interface TaskFilter {
  regionId: string;
  statuses?: TaskStatus[];
  type?: string;
  requestingCommuneId?: string;
  claimedByCommuneId?: string;
  priority?: Priority;
  overdue?: boolean;
  text?: string;
  after?: { dueAt: Date; id: string };
  limit: number;
}

const overdueCondition = sql`(${tasks.dueAt} < now() and ${tasks.status} not in ('done', 'cancelled'))`;

/** Tasks by due date, then id: the order the board shows and the cursor follows. */
export async function listTasks(db: Executor, f: TaskFilter): Promise<TaskRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(tasks.regionId, f.regionId),
    f.statuses ? inArray(tasks.status, f.statuses) : undefined,
    f.type ? eq(tasks.type, f.type) : undefined,
    f.requestingCommuneId ? eq(tasks.requestingCommuneId, f.requestingCommuneId) : undefined,
    f.claimedByCommuneId ? eq(tasks.claimedByCommuneId, f.claimedByCommuneId) : undefined,
    f.priority ? eq(tasks.priority, f.priority) : undefined,
    f.overdue === undefined ? undefined : f.overdue ? overdueCondition : sql`not ${overdueCondition}`,
    f.text ? or(ilike(tasks.title, `%${escapeLike(f.text)}%`), ilike(tasks.details, `%${escapeLike(f.text)}%`)) : undefined,
    f.after
      ? or(gt(tasks.dueAt, f.after.dueAt), and(eq(tasks.dueAt, f.after.dueAt), gt(tasks.id, f.after.id)))
      : undefined,
  ];
  return db.select().from(tasks).where(and(...conditions)).orderBy(asc(tasks.dueAt), asc(tasks.id)).limit(f.limit);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface LoadRow {
  communeId: string;
  postedOpen: number;
  postedClaimed: number;
  postedInProgress: number;
  postedOverdue: number;
  postedDoneToday: number;
  heldClaimed: number;
  heldInProgress: number;
  heldOverdue: number;
  heldDoneToday: number;
  throughput24h: number;
}

// "Today" is the day at the town halls, not on the server's clock.
const startOfToday = sql`(date_trunc('day', now() at time zone 'Europe/Brussels') at time zone 'Europe/Brussels')`;

/** Each commune's backlog (what it posted) and the work it holds for others. */
export async function communeLoads(db: Executor, scope: { regionId: string; communeId?: string }): Promise<LoadRow[]> {
  const posted = sql`${tasks.requestingCommuneId} = ${communes.id}`;
  const held = sql`${tasks.claimedByCommuneId} = ${communes.id}`;
  const n = (condition: SQL) => sql<number>`(count(${tasks.id}) filter (where ${condition}))::int`;
  return db
    .select({
      communeId: communes.id,
      postedOpen: n(sql`${posted} and ${tasks.status} = 'open'`),
      postedClaimed: n(sql`${posted} and ${tasks.status} = 'claimed'`),
      postedInProgress: n(sql`${posted} and ${tasks.status} = 'in_progress'`),
      postedOverdue: n(sql`${posted} and ${overdueCondition}`),
      postedDoneToday: n(sql`${posted} and ${tasks.status} = 'done' and ${tasks.doneAt} >= ${startOfToday}`),
      heldClaimed: n(sql`${held} and ${tasks.status} = 'claimed'`),
      heldInProgress: n(sql`${held} and ${tasks.status} = 'in_progress'`),
      heldOverdue: n(sql`${held} and ${overdueCondition}`),
      heldDoneToday: n(sql`${held} and ${tasks.status} = 'done' and ${tasks.doneAt} >= ${startOfToday}`),
      throughput24h: n(sql`${held} and ${tasks.status} = 'done' and ${tasks.doneAt} >= now() - interval '24 hours'`),
    })
    .from(communes)
    .leftJoin(tasks, and(or(eq(tasks.requestingCommuneId, communes.id), eq(tasks.claimedByCommuneId, communes.id)), notInArray(tasks.status, ['cancelled'])))
    .where(and(eq(communes.regionId, scope.regionId), scope.communeId ? eq(communes.id, scope.communeId) : undefined))
    .groupBy(communes.id);
}

export async function findTasksByIds(db: Executor, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(tasks).where(inArray(tasks.id, ids));
}
