import { and, asc, desc, eq, gte, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { REPORT_TIME_ZONE } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { capacityOffers, communes, tasks, type TaskRow } from '../../db/schema';
import { activeClaimSql, heldSql, claimableSql } from '../tasks/task-rules';
import { realTasks, realTasksAs } from '../tasks/tasks-repo';

/**
 * The weights of the suggestions' score (docs/suggestions.md): points for urgency, for a due date near
 * or past, for a task of a type the commune offers with room left today, and a penalty per kilometre
 * that the commune's share of the region's claimed work scales (a commune doing less than its part is
 * sent farther, one doing more is kept to its neighbours).
 */
export const weights = {
  urgency: { urgent: 40, high: 25, normal: 10, low: 0 },
  /** Points a task earns per hour less than `dueHorizonHours` before it is due, up to `dueMax` (overdue). */
  dueHorizonHours: 48,
  dueMax: 50,
  offerRoom: 30,
  perKm: 0.5,
  /** The bounds of the fair-share factor on the distance penalty. */
  fairFactorMin: 0.5,
  fairFactorMax: 2,
} as const;

export interface SuggestionRow {
  task: TaskRow;
  requestingCommuneName: string;
  km: number;
  hoursLeft: number;
  offerId: string | null;
  perDay: number | null;
  usedToday: number | null;
  held: number;
  claimed: number;
  communesSharing: number;
  fairFactor: number;
  score: number;
}

export interface SuggestionScope {
  regionId: string;
  communeId: string;
  now: Date;
  /** Today at the town halls (YYYY-MM-DD). */
  today: string;
  limit: number;
}

/** A weight, written into the statement (a constant, never input): a parameter would have no type. */
const w = (value: number) => sql.raw(String(value));
const num = (expression: SQL) => sql<number>`(${expression})::float8`;

/** Kilometres between two points on the Earth (haversine, mean radius 6371 km). */
export function haversineKmSql(lat1: SQLWrapper, lon1: SQLWrapper, lat2: SQLWrapper, lon2: SQLWrapper): SQL {
  return sql`(2 * 6371 * asin(least(1, sqrt(
    power(sin(radians(${lat2} - ${lat1}) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2})) * power(sin(radians(${lon2} - ${lon1}) / 2), 2)))))`;
}

/**
 * The open tasks of the region that the commune may claim (claimableSql: the claim's own rule), scored
 * and best first, in one statement. The region's open tasks are read through tasks_board_due_idx
 * (region, status, due); the commune's coordinates, its share of the region's claims and its offers of
 * today are computed once for the statement.
 */
export function suggestionsQuery(db: Executor, s: SuggestionScope) {
  const requester = alias(communes, 'requester');
  const me = alias(communes, 'me');
  const now = sql`${s.now.toISOString()}::timestamptz`;
  const zone = sql.raw(`'${REPORT_TIME_ZONE}'`);
  const dayStart = sql`((${s.today}::date)::timestamp at time zone ${zone})`;
  const dayEnd = sql`((${s.today}::date + 1)::timestamp at time zone ${zone})`;
  // Other rows of tasks, read in subqueries under aliases of their own.
  const other = (alias: string) => ({
    regionId: sql.raw(`${alias}.region_id`),
    status: sql.raw(`${alias}.status`),
    claimedByCommuneId: sql.raw(`${alias}.claimed_by_commune_id`),
    claimedAt: sql.raw(`${alias}.claimed_at`),
    type: sql.raw(`${alias}.type`),
  });
  const c = other('c');
  const h = other('h');

  const todaysOffers = db.$with('todays_offers').as(
    db
      .select({
        offerId: sql<string>`${capacityOffers.id}`.as('offer_id'),
        offerTypes: sql<string[]>`${capacityOffers.taskTypes}`.as('offer_types'),
        perDay: sql<number>`${capacityOffers.perDay}`.as('per_day'),
        usedToday: sql<number>`(select count(*) from ${tasks} c
          where ${c.claimedByCommuneId} = ${s.communeId}::uuid
            and ${c.type} = any(${sql.raw('capacity_offers.task_types')})
            and ${c.claimedAt} >= ${dayStart} and ${c.claimedAt} < ${dayEnd}
            and ${c.status} <> 'cancelled' and ${realTasksAs('c')})::int`.as('used_today'),
      })
      .from(capacityOffers)
      .where(
        and(
          eq(capacityOffers.communeId, s.communeId),
          lte(capacityOffers.fromDay, s.today),
          gte(capacityOffers.toDay, s.today),
        ),
      ),
  );

  const heldCount = sql`(select count(*) from ${tasks} h where ${h.regionId} = ${s.regionId}::uuid
    and ${activeClaimSql(h, sql`${s.communeId}::uuid`)} and ${realTasksAs('h')})`;
  const claimedCount = sql`(select count(*) from ${tasks} h where ${h.regionId} = ${s.regionId}::uuid
    and ${heldSql(h)} and ${realTasksAs('h')})`;
  // The communes that may share the work: those of the region not in incident (at least one).
  const sharing = sql`(select greatest(count(*), 1) from ${communes} rc
    where rc.region_id = ${s.regionId}::uuid and rc.status <> 'incident')`;
  const fairFactor = sql`(case when ${claimedCount} = 0 then 1.0 else least(${w(weights.fairFactorMax)}, greatest(${w(weights.fairFactorMin)},
    (${heldCount})::float8 / ${claimedCount} * ${sharing})) end)`;
  const km = haversineKmSql(me.latitude, me.longitude, requester.latitude, requester.longitude);
  const hoursLeft = sql`(extract(epoch from (${tasks.dueAt} - ${now})) / 3600.0)`;
  const urgency = sql`(case ${tasks.priorityRank} when 0 then ${w(weights.urgency.urgent)} when 1 then ${w(weights.urgency.high)}
    when 2 then ${w(weights.urgency.normal)} else ${w(weights.urgency.low)} end)`;
  const due = sql`least(${w(weights.dueMax)}, greatest(0, ${w(weights.dueHorizonHours)} - ${hoursLeft}))`;
  const offer = sql`(case when ${todaysOffers.offerId} is not null and ${todaysOffers.usedToday} < ${todaysOffers.perDay}
    then ${w(weights.offerRoom)} else 0 end)`;
  const score = sql`(${urgency} + ${due} + ${offer} - ${w(weights.perKm)} * ${km} * ${fairFactor})`;

  return db
    .with(todaysOffers)
    .select({
      task: tasks,
      requestingCommuneName: requester.name,
      km: num(km),
      hoursLeft: num(hoursLeft),
      offerId: todaysOffers.offerId,
      perDay: todaysOffers.perDay,
      usedToday: todaysOffers.usedToday,
      held: sql<number>`${heldCount}::int`,
      claimed: sql<number>`${claimedCount}::int`,
      communesSharing: sql<number>`${sharing}::int`,
      fairFactor: num(fairFactor),
      score: num(score),
    })
    .from(tasks)
    .innerJoin(requester, eq(requester.id, tasks.requestingCommuneId))
    .innerJoin(me, eq(me.id, s.communeId))
    .leftJoin(todaysOffers, sql`${tasks.type} = any(${todaysOffers.offerTypes})`)
    .where(
      and(
        claimableSql(tasks, { regionId: sql`${s.regionId}::uuid`, communeId: sql`${s.communeId}::uuid` }),
        // Never a drill's made-up task among the real suggestions (docs/drills.md).
        realTasks(),
      ),
    )
    .orderBy(desc(score), asc(tasks.dueAt), asc(tasks.id))
    .limit(s.limit);
}

export async function suggestedTasks(db: Executor, s: SuggestionScope): Promise<SuggestionRow[]> {
  return suggestionsQuery(db, s);
}
