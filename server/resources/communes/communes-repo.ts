import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { communes, incidents, regions, type CommuneRow } from '../../db/schema';
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
