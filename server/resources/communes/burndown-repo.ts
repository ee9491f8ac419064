import { sql, type SQL } from 'drizzle-orm';
import { transaction, type Db } from '../../db/client';
import { events, tasks } from '../../db/schema';
import { backlogStatuses, finishedStatuses } from '../tasks/task-rules';
import { realTasksAs } from '../tasks/tasks-repo';

/** One hour of the series, as the statement counts it. */
export interface BurndownHourRow {
  start: Date;
  posted: number;
  done: number;
  cancelled: number;
  /** At the hour's end (or at `until` for the last one). */
  backlog: number;
}

export interface BurndownRows {
  hours: BurndownHourRow[];
  /** Posted, done and cancelled from `rateSince` to `until`. */
  recent: { posted: number; done: number; cancelled: number };
}

export interface BurndownWindow {
  /** The start of the first hour (an hour boundary). */
  first: Date;
  /** How many hours, the last one ending at `until`. */
  count: number;
  /** Now: nothing at or after it is counted. */
  until: Date;
  /** The start of the rates' window. */
  rateSince: Date;
}

/**
 * How far a task's `updated_at` (the app's clock) may trail the time of its events (the database's),
 * as in the daily report.
 */
const CLOCK_MARGIN = sql`interval '5 minutes'`;

const list = (statuses: readonly string[]) => sql.raw(statuses.map((s) => `'${s}'`).join(', '));
const backlog = list(backlogStatuses);
/** The ways out of the backlog other than done (cancelled), whose time is their last event's. */
const otherwiseFinished = list(finishedStatuses.filter((s) => s !== 'done'));

/**
 * A commune's burn-down in one statement. Each task counts in the backlog from its posting until it
 * leaves the backlog's statuses (backlogStatuses), which is final: done at its `done_at`, cancelled
 * at its last event's time. Only the tasks that can count are read: those in the backlog now (by
 * the requester index), those done since the window began (the region's done index) and those
 * cancelled since (the region's updated index; a cancelled task's `updated_at` is at or after its
 * cancellation). Each is bucketed once by hour of entry and of exit, and the backlog at each hour's
 * end is the backlog at the window's start plus the running sum of entries less exits.
 *
 * Every part reads the commune's tasks through `inScope`: a condition that applies to every task
 * counted (say, leaving out exercises) is added there once.
 */
export function burndownSql(scope: { regionId: string; communeId: string }, window: BurndownWindow): SQL {
  const first = sql`${window.first.toISOString()}::timestamptz`;
  const until = sql`${window.until.toISOString()}::timestamptz`;
  const rateSince = sql`${window.rateSince.toISOString()}::timestamptz`;
  const since = sql`least(${first}, ${rateSince})`;
  const inScope = sql`t.region_id = ${scope.regionId} and t.requesting_commune_id = ${scope.communeId}
    and t.created_at < ${until} and ${realTasksAs('t')}`;
  const hourOf = (instant: SQL) => sql`floor(extract(epoch from (${instant} - ${first})) / 3600)::int`;
  return sql`
    with flows as (
      select t.created_at as entered, t.status, null::timestamptz as left_at
      from ${tasks} t
      where ${inScope} and t.status in (${backlog})
      union all
      select t.created_at, t.status, t.done_at
      from ${tasks} t
      where ${inScope} and t.status = 'done' and t.done_at >= ${since}
      union all
      select t.created_at, t.status, coalesce((
        select e.created_at from ${events} e
        where e.task_id = t.id and e.to_status = t.status
        order by e.id desc limit 1
      ), t.updated_at)
      from ${tasks} t
      where ${inScope} and t.status in (${otherwiseFinished}) and t.updated_at >= ${since} - ${CLOCK_MARGIN}
    ), entries as (
      select ${hourOf(sql.raw('entered'))} as i, count(*)::int as n
      from flows where entered >= ${first}
      group by 1
    ), exits as (
      select ${hourOf(sql.raw('left_at'))} as i,
        count(*) filter (where status = 'done')::int as done,
        count(*) filter (where status <> 'done')::int as cancelled
      from flows where left_at >= ${first} and left_at < ${until}
      group by 1
    ), totals as (
      select
        count(*) filter (where entered < ${first} and (left_at is null or left_at >= ${first}))::int as base,
        count(*) filter (where entered >= ${rateSince})::int as posted,
        count(*) filter (where status = 'done' and left_at >= ${rateSince} and left_at < ${until})::int as done,
        count(*) filter (where status <> 'done' and left_at >= ${rateSince} and left_at < ${until})::int as cancelled
      from flows
    )
    select h.i, ${first} + make_interval(hours => h.i) as start,
      coalesce(en.n, 0) as posted, coalesce(ex.done, 0) as done, coalesce(ex.cancelled, 0) as cancelled,
      (totals.base + sum(coalesce(en.n, 0) - coalesce(ex.done, 0) - coalesce(ex.cancelled, 0))
        over (order by h.i))::int as backlog,
      totals.posted as recent_posted, totals.done as recent_done, totals.cancelled as recent_cancelled
    from generate_series(0, ${window.count - 1}::int) as h(i)
    cross join totals
    left join entries en on en.i = h.i
    left join exits ex on ex.i = h.i
    order by h.i`;
}

/** The burn-down's hours and recent totals (burndownSql). */
export async function burndownRows(
  db: Db,
  scope: { regionId: string; communeId: string },
  window: BurndownWindow,
): Promise<BurndownRows> {
  // The planner prices the cancellations' event look-ups high, which can set off JIT compilation:
  // seconds of compiling for a statement that runs in tens of milliseconds (measured on 100,000 tasks).
  const result = await transaction(db, async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx.execute(burndownSql(scope, window));
  });
  type Raw = Record<
    'posted' | 'done' | 'cancelled' | 'backlog' | `recent_${'posted' | 'done' | 'cancelled'}`,
    unknown
  > & {
    start: string | Date;
  };
  const rows = (result as { rows: Raw[] }).rows;
  const [head] = rows;
  return {
    hours: rows.map((r) => ({
      start: new Date(r.start),
      posted: Number(r.posted),
      done: Number(r.done),
      cancelled: Number(r.cancelled),
      backlog: Number(r.backlog),
    })),
    recent: {
      posted: Number(head?.recent_posted ?? 0),
      done: Number(head?.recent_done ?? 0),
      cancelled: Number(head?.recent_cancelled ?? 0),
    },
  };
}
