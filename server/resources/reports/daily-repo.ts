import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { events, tasks } from '../../db/schema';
import { finishedStatuses, overdueSql } from '../tasks/task-rules';
import { dayEndSql, dayStartSql } from './statements-repo';
import { realTasksAs } from '../tasks/tasks-repo';

/** One figure of the daily report for one commune, or for the region (`communeId` null). */
export interface DailyFact {
  communeId: string | null;
  kind: 'posted' | 'claimed' | 'done' | 'to_claim' | 'to_done' | 'backlog' | 'overdue';
  n: number;
  median: number | null;
}

/**
 * How far a task's `updated_at` and `done_at` (the app's clock) may trail the time of its events (the
 * database's): a task left alone for longer than this before the day's end is, at the end of the day,
 * as its row is now.
 */
const CLOCK_MARGIN = sql`interval '5 minutes'`;

const finished = sql.raw(finishedStatuses.map((s) => `'${s}'`).join(', '));

/**
 * The daily report's figures, in one statement over the events of the region:
 * - of the day's events (from `start` to `asOf`, by the index on region and time; each event's
 *   snapshot holds its task's requesting commune, holder and posting time): the tasks posted (by the
 *   requesting commune), claimed (claims and reassignments, by the commune that took them), done (by
 *   the commune that held them), and, per requesting commune, the minutes from posting to each claim
 *   and to done, whose medians it takes;
 * - the state of each task at `asOf`: the backlog (not done nor cancelled) and the overdue ones (the one
 *   definition, `overdueSql`, on the due date it had then), by requesting commune. Every change of a
 *   task's status or due date moves its `updated_at` (a reminder, which changes neither, does not), so a
 *   task unchanged since before `asOf` is then as its row is now (the active
 *   ones, by a partial index); only a task changed since is read from its last event before `asOf`. Done
 *   and cancelled are final, so a task finished before `asOf` is skipped either way.
 * Every figure is given per commune and for the whole region (grouping sets).
 */
export async function dailyFacts(db: Executor, regionId: string, start: Date, asOf: Date): Promise<DailyFact[]> {
  const from = sql`${start.toISOString()}::timestamptz`;
  const until = sql`${asOf.toISOString()}::timestamptz`;
  const settled = sql`${until} - ${CLOCK_MARGIN}`;
  const minutesSince = (instant: unknown) => sql`extract(epoch from (d.created_at - ${instant})) / 60`;
  const overdue = overdueSql({ dueAt: sql.raw('s.due_at'), status: sql.raw('s.to_status') }, until);
  const finishing = sql.raw(`d.to_status = 'done' and d.from_status is distinct from 'done'`);
  const result = await db.execute(sql`
    with day as (
      select e.type, e.action, e.from_status, e.to_status, e.created_at,
        (e.snapshot ->> 'claimed_by_commune_id')::uuid as holder,
        (e.snapshot ->> 'requesting_commune_id')::uuid as requester,
        (e.snapshot ->> 'created_at')::timestamptz as posted_at
      from ${events} e
      where e.region_id = ${regionId} and e.task_id is not null and ${realTasksAs('e')}
        and e.created_at >= ${from} and e.created_at < ${until}
    ), state as (
      select t.requesting_commune_id as requester, t.status as to_status, t.due_at
      from ${tasks} t
      where t.region_id = ${regionId} and t.status not in (${finished}) and ${realTasksAs('t')}
        and t.created_at < ${until} and t.updated_at < ${settled}
      union all
      select t.requesting_commune_id, last.to_status, (last.snapshot ->> 'due_at')::timestamptz
      from ${tasks} t
      cross join lateral (
        select e.to_status, e.snapshot from ${events} e
        where e.task_id = t.id and e.created_at < ${until}
        order by e.id desc limit 1
      ) last
      where t.region_id = ${regionId} and t.updated_at >= ${settled} and t.created_at < ${until} and ${realTasksAs('t')}
        and not (t.status = 'done' and t.done_at < ${settled})
    ), facts as (
      select requester as commune_id, 'posted' as kind, null::float8 as minutes from day d
        where d.type = 'task:created'
      union all
      select holder, 'claimed', null from day d where d.action in ('claim', 'reassign')
      union all
      select holder, 'done', null from day d where ${finishing}
      union all
      select requester, 'to_claim', ${minutesSince(sql.raw('d.posted_at'))} from day d where d.action = 'claim'
      union all
      select requester, 'to_done', ${minutesSince(sql.raw('d.posted_at'))} from day d where ${finishing}
    ), ends as (
      select case when grouping(requester) = 1 then null else requester end as commune_id,
        count(*) filter (where s.to_status not in (${finished}))::int as backlog,
        count(*) filter (where ${overdue})::int as overdue
      from state s
      group by grouping sets ((requester), ())
    )
    select case when grouping(commune_id) = 1 then null else commune_id end as "communeId", kind,
      count(*)::int as n,
      (percentile_cont(0.5) within group (order by minutes))::float8 as median
    from facts
    group by grouping sets ((commune_id, kind), (kind))
    union all
    select commune_id, 'backlog', backlog, null from ends
    union all
    select commune_id, 'overdue', overdue, null from ends`);
  const rows = (result as { rows: { communeId: string | null; kind: string; n: unknown; median: unknown }[] }).rows;
  return rows.map((r) => ({
    communeId: r.communeId,
    kind: r.kind as DailyFact['kind'],
    n: Number(r.n),
    median: r.median === null ? null : Number(r.median),
  }));
}

/** Where a day (YYYY-MM-DD) starts and ends in the reports' time zone, as instants. */
export async function dayBounds(db: Executor, day: string): Promise<{ start: Date; end: Date }> {
  const result = await db.execute(sql`select ${dayStartSql(day)} as start, ${dayEndSql(day)} as "end"`);
  const [row] = (result as { rows: { start: string | Date; end: string | Date }[] }).rows;
  if (!row) throw new Error('no day bounds');
  return { start: new Date(row.start), end: new Date(row.end) };
}
