import { and, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { communes, tasks } from '../../db/schema';
import { backlogStatuses, overdueSql } from '../tasks/task-rules';
import { realTasks } from '../tasks/tasks-repo';

export interface LoadRow {
  communeId: string;
  postedOpen: number;
  postedClaimed: number;
  postedInProgress: number;
  postedWaitingInfo: number;
  postedOverdue: number;
  postedDoneToday: number;
  heldClaimed: number;
  heldInProgress: number;
  heldWaitingInfo: number;
  heldOverdue: number;
  heldDoneToday: number;
  throughput24h: number;
}

// "Today" is the day at the town halls, not on the server's clock.
const startOfToday = sql`(date_trunc('day', now() at time zone 'Europe/Brussels') at time zone 'Europe/Brussels')`;

/**
 * Each commune's backlog (what it posted) and the work it holds for others. Only the tasks that can
 * count are read (active ones, and those done since the start of the day or the last 24 hours),
 * grouped once by requesting commune and once by holder: no join over the whole history.
 */
export async function communeLoads(db: Executor, scope: { regionId: string; communeId?: string }): Promise<LoadRow[]> {
  const n = (condition: SQL) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const isDone = (since: SQL) => sql`${tasks.status} = 'done' and ${tasks.doneAt} >= ${since}`;
  const overdue = overdueSql(tasks);
  const counting = (column: typeof tasks.requestingCommuneId | typeof tasks.claimedByCommuneId) =>
    and(
      eq(tasks.regionId, scope.regionId),
      realTasks(),
      scope.communeId ? eq(column, scope.communeId) : isNotNull(column),
      or(inArray(tasks.status, [...backlogStatuses]), isDone(sql`least(${startOfToday}, now() - interval '24 hours')`)),
    );
  const [regionCommunes, posted, held] = await Promise.all([
    db
      .select({ id: communes.id })
      .from(communes)
      .where(
        and(eq(communes.regionId, scope.regionId), scope.communeId ? eq(communes.id, scope.communeId) : undefined),
      ),
    db
      .select({
        communeId: tasks.requestingCommuneId,
        open: n(sql`${tasks.status} = 'open'`),
        claimed: n(sql`${tasks.status} = 'claimed'`),
        inProgress: n(sql`${tasks.status} = 'in_progress'`),
        waitingInfo: n(sql`${tasks.status} = 'waiting_info'`),
        overdue: n(overdue),
        doneToday: n(isDone(startOfToday)),
      })
      .from(tasks)
      .where(counting(tasks.requestingCommuneId))
      .groupBy(tasks.requestingCommuneId),
    db
      .select({
        communeId: tasks.claimedByCommuneId,
        claimed: n(sql`${tasks.status} = 'claimed'`),
        inProgress: n(sql`${tasks.status} = 'in_progress'`),
        waitingInfo: n(sql`${tasks.status} = 'waiting_info'`),
        overdue: n(overdue),
        doneToday: n(isDone(startOfToday)),
        throughput24h: n(isDone(sql`now() - interval '24 hours'`)),
      })
      .from(tasks)
      .where(counting(tasks.claimedByCommuneId))
      .groupBy(tasks.claimedByCommuneId),
  ]);
  const postedBy = new Map(posted.map((p) => [p.communeId, p]));
  const heldBy = new Map(held.map((h) => [h.communeId, h]));
  return regionCommunes.map(({ id }) => {
    const p = postedBy.get(id);
    const h = heldBy.get(id);
    return {
      communeId: id,
      postedOpen: p?.open ?? 0,
      postedClaimed: p?.claimed ?? 0,
      postedInProgress: p?.inProgress ?? 0,
      postedWaitingInfo: p?.waitingInfo ?? 0,
      postedOverdue: p?.overdue ?? 0,
      postedDoneToday: p?.doneToday ?? 0,
      heldClaimed: h?.claimed ?? 0,
      heldInProgress: h?.inProgress ?? 0,
      heldWaitingInfo: h?.waitingInfo ?? 0,
      heldOverdue: h?.overdue ?? 0,
      heldDoneToday: h?.doneToday ?? 0,
      throughput24h: h?.throughput24h ?? 0,
    };
  });
}
