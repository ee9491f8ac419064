import { asc, eq, sql } from 'drizzle-orm';
import { isUniqueViolation, type Executor } from '../../db/client';
import { communes, incidents, regions, tasks, users, type CommuneRow } from '../../db/schema';
import { choosePrefix } from './commune-prefix';

export async function listRegions(db: Executor) {
  return db.select({ id: regions.id, name: regions.name }).from(regions).orderBy(asc(regions.name));
}

export async function findRegion(db: Executor, id: string) {
  const [row] = await db.select({ id: regions.id, name: regions.name }).from(regions).where(eq(regions.id, id));
  return row;
}

export async function insertRegion(db: Executor, name: string) {
  const [row] = await db
    .insert(regions)
    .values({ name })
    .onConflictDoNothing()
    .returning({ id: regions.id, name: regions.name });
  return row;
}

/** `taken` when another region has that name already (the unique index decides). */
export async function renameRegion(db: Executor, id: string, name: string) {
  try {
    const [row] = await db
      .update(regions)
      .set({ name })
      .where(eq(regions.id, id))
      .returning({ id: regions.id, name: regions.name });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) return 'taken' as const;
    throw err;
  }
}

export async function listCommunes(db: Executor, regionId?: string): Promise<CommuneRow[]> {
  const q = db.select().from(communes);
  return (regionId ? q.where(eq(communes.regionId, regionId)) : q).orderBy(asc(communes.name));
}

export async function findCommune(db: Executor, id: string): Promise<CommuneRow | undefined> {
  const [row] = await db.select().from(communes).where(eq(communes.id, id));
  return row;
}

/** A new commune; without a task code prefix it takes the first its name allows (commune-prefix.ts). */
export async function insertCommune(
  db: Executor,
  values: Omit<typeof communes.$inferInsert, 'taskCodePrefix'> & { taskCodePrefix?: string },
): Promise<CommuneRow | undefined> {
  const taken = await db.select({ prefix: communes.taskCodePrefix }).from(communes);
  const taskCodePrefix =
    values.taskCodePrefix ??
    choosePrefix(
      values.name,
      taken.map((t) => t.prefix),
    );
  const [row] = await db
    .insert(communes)
    .values({ ...values, taskCodePrefix })
    .onConflictDoNothing()
    .returning();
  return row;
}

export type CommuneChange = Partial<Pick<CommuneRow, 'name' | 'code' | 'regionId' | 'latitude' | 'longitude'>>;

/** Throws a unique violation when another commune has the code (see isUniqueViolation). */
export async function updateCommune(db: Executor, id: string, change: CommuneChange): Promise<CommuneRow | undefined> {
  const [row] = await db.update(communes).set(change).where(eq(communes.id, id)).returning();
  return row;
}

/**
 * Whether a commune has work under way: tasks it posted or holds that are not finished, or an open
 * incident. Such a commune stays in its region (its tasks belong to the region they were posted in).
 */
export async function communeHasOpenWork(db: Executor, communeId: string): Promise<boolean> {
  const [row] = await db
    .select({
      busy: sql<boolean>`exists (select 1 from ${tasks} where (${tasks.requestingCommuneId} = ${communeId}
        or ${tasks.claimedByCommuneId} = ${communeId}) and ${tasks.status} not in ('done', 'cancelled'))
      or exists (select 1 from ${incidents} where ${incidents.communeId} = ${communeId} and ${incidents.status} <> 'closed')`,
    })
    .from(communes)
    .where(eq(communes.id, communeId));
  return row?.busy ?? false;
}

export async function communeCodeTaken(db: Executor, code: string, exceptId?: string): Promise<boolean> {
  const rows = await db.select({ id: communes.id }).from(communes).where(eq(communes.code, code));
  return rows.some((r) => r.id !== exceptId);
}

/** The accounts of a commune: their scope follows it when it moves to another region. */
export async function userIdsOfCommune(db: Executor, communeId: string): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.communeId, communeId));
  return rows.map((r) => r.id);
}

/** The prefix of the commune's task codes. */
export async function communePrefix(db: Executor, communeId: string): Promise<string | undefined> {
  const [row] = await db.select({ prefix: communes.taskCodePrefix }).from(communes).where(eq(communes.id, communeId));
  return row?.prefix;
}

/** A commune's status follows its open incident, if it has one. */
export async function refreshCommuneStatus(db: Executor, communeId: string): Promise<CommuneRow | undefined> {
  const [row] = await db
    .update(communes)
    .set({
      status: sql`coalesce((select case ${incidents.status} when 'active' then 'incident' else 'recovering' end
        from ${incidents} where ${incidents.communeId} = ${communeId} and ${incidents.status} <> 'closed' limit 1), 'normal')`,
    })
    .where(eq(communes.id, communeId))
    .returning();
  return row;
}

export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(regions);
  return (row?.n ?? 0) === 0;
}
