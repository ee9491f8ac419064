import { realTasks } from '../tasks/tasks-repo';
import { and, asc, eq, gte, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import { REPORT_TIME_ZONE } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { capacityOffers, communes, taskTypes, tasks, type CapacityOfferRow } from '../../db/schema';

/** An offer with its commune's name and what the commune claimed of it. */
export interface OfferView extends CapacityOfferRow {
  communeName: string;
  usedByDay: { day: string; used: number }[];
}

/** The instant a day (YYYY-MM-DD, a column or a value) starts at the town halls. */
const dayStart = (day: SQL | typeof capacityOffers.fromDay) =>
  sql`((${day})::timestamp at time zone ${REPORT_TIME_ZONE})`;
// A literal, not a parameter: the day is grouped by, and two parameters are two expressions to PostgreSQL.
const zone = sql.raw(`'${REPORT_TIME_ZONE}'`);
const localDay = (instant: unknown) => sql`((${instant}) at time zone ${zone})::date`;

/**
 * Each offer's tasks claimed, by day of the period: the tasks of its types that its commune holds or
 * finished, claimed on that day (a claim released or moved on no longer counts).
 */
async function usage(db: Executor, offerIds: string[]): Promise<Map<string, { day: string; used: number }[]>> {
  const byOffer = new Map<string, { day: string; used: number }[]>();
  if (offerIds.length === 0) return byOffer;
  const day = sql<string>`to_char(${localDay(tasks.claimedAt)}, 'YYYY-MM-DD')`;
  const rows = await db
    .select({ offerId: capacityOffers.id, day, used: sql<number>`count(*)::int` })
    .from(capacityOffers)
    .innerJoin(
      tasks,
      and(
        eq(tasks.claimedByCommuneId, capacityOffers.communeId),
        sql`${tasks.type} = any(${capacityOffers.taskTypes})`,
        sql`${tasks.claimedAt} >= ${dayStart(capacityOffers.fromDay)}`,
        sql`${tasks.claimedAt} < ${dayStart(sql`${capacityOffers.toDay} + 1`)}`,
        ne(tasks.status, 'cancelled'),
        // A drill's claims are rehearsal, not capacity used.
        realTasks(),
      ),
    )
    .where(inArray(capacityOffers.id, offerIds))
    .groupBy(capacityOffers.id, day)
    .orderBy(day);
  for (const row of rows)
    byOffer.set(row.offerId, [...(byOffer.get(row.offerId) ?? []), { day: row.day, used: row.used }]);
  return byOffer;
}

async function withUsage(db: Executor, rows: (CapacityOfferRow & { communeName: string })[]): Promise<OfferView[]> {
  const used = await usage(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, usedByDay: used.get(r.id) ?? [] }));
}

/** A text[] of values, each its own parameter. */
export const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

const offerColumns = { offer: capacityOffers, communeName: communes.name };

/** The region's offers (one commune's, or those whose period includes `today`), by first day. */
export async function listOffers(
  db: Executor,
  f: { regionId: string; communeId?: string; today?: string },
): Promise<OfferView[]> {
  const rows = await db
    .select(offerColumns)
    .from(capacityOffers)
    .innerJoin(communes, eq(communes.id, capacityOffers.communeId))
    .where(
      and(
        eq(capacityOffers.regionId, f.regionId),
        f.communeId ? eq(capacityOffers.communeId, f.communeId) : undefined,
        f.today ? and(lte(capacityOffers.fromDay, f.today), gte(capacityOffers.toDay, f.today)) : undefined,
      ),
    )
    .orderBy(asc(capacityOffers.fromDay), asc(communes.name), asc(capacityOffers.id));
  return withUsage(
    db,
    rows.map((r) => ({ ...r.offer, communeName: r.communeName })),
  );
}

export async function findOffer(db: Executor, id: string): Promise<OfferView | undefined> {
  const rows = await db
    .select(offerColumns)
    .from(capacityOffers)
    .innerJoin(communes, eq(communes.id, capacityOffers.communeId))
    .where(eq(capacityOffers.id, id));
  const [view] = await withUsage(
    db,
    rows.map((r) => ({ ...r.offer, communeName: r.communeName })),
  );
  return view;
}

/** Holds the commune's row until the transaction ends: two offers of one commune are checked one after the other. */
export async function lockCommuneOffers(tx: Executor, communeId: string): Promise<void> {
  await tx.select({ id: communes.id }).from(communes).where(eq(communes.id, communeId)).for('update');
}

/** An offer of the commune sharing a day and a task type with the period and types given. */
export async function overlappingOffer(
  tx: Executor,
  o: { communeId: string; taskTypes: string[]; from: string; to: string; exceptId?: string },
): Promise<CapacityOfferRow | undefined> {
  const [row] = await tx
    .select()
    .from(capacityOffers)
    .where(
      and(
        eq(capacityOffers.communeId, o.communeId),
        lte(capacityOffers.fromDay, o.to),
        gte(capacityOffers.toDay, o.from),
        sql`${capacityOffers.taskTypes} && ${textArray(o.taskTypes)}`,
        o.exceptId ? ne(capacityOffers.id, o.exceptId) : undefined,
      ),
    )
    .limit(1);
  return row;
}

/** The keys among `keys` that name no task type. */
export async function unknownTaskTypes(db: Executor, keys: string[]): Promise<string[]> {
  const known = await db.select({ key: taskTypes.key }).from(taskTypes).where(inArray(taskTypes.key, keys));
  const found = new Set(known.map((k) => k.key));
  return keys.filter((k) => !found.has(k));
}

export async function insertOffer(tx: Executor, values: typeof capacityOffers.$inferInsert): Promise<string> {
  const [row] = await tx.insert(capacityOffers).values(values).returning({ id: capacityOffers.id });
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

export async function updateOffer(
  tx: Executor,
  id: string,
  change: Partial<Pick<CapacityOfferRow, 'taskTypes' | 'perDay' | 'fromDay' | 'toDay'>> & { updatedAt: Date },
): Promise<void> {
  await tx.update(capacityOffers).set(change).where(eq(capacityOffers.id, id));
}

export async function deleteOffer(tx: Executor, id: string): Promise<void> {
  await tx.delete(capacityOffers).where(eq(capacityOffers.id, id));
}
