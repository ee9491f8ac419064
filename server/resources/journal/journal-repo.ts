import { and, asc, eq, gt, gte, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { communes, events, integrationTokens, tasks, users } from '../../db/schema';
import { dayEndSql, dayStartSql } from '../reports/statements-repo';
import { realTasks } from '../tasks/tasks-repo';

export interface JournalFilter {
  communeId: string;
  regionId: string;
  /** Days (YYYY-MM-DD) in the reports' time zone, both included. */
  from: string;
  to: string;
  /** The last event id of the previous page. */
  afterId?: number;
  limit: number;
}

/**
 * The events of the commune's tasks in the period, oldest first, with what a register needs beside
 * them: the task's code, type and title, who acted (person, commune, or the integration that
 * posted), whether a post was on the commune's behalf, the minutes of a completion, and the task's
 * sealed citizen data (opened only for those who may read it). Reminders are the system's own
 * bookkeeping, not acts on the task: they are left out.
 */
export function journalEntries(db: Executor, f: JournalFilter) {
  return db
    .select({
      id: events.id,
      at: events.createdAt,
      taskId: tasks.id,
      regionId: tasks.regionId,
      requestingCommuneId: tasks.requestingCommuneId,
      claimedByCommuneId: tasks.claimedByCommuneId,
      status: tasks.status,
      code: tasks.code,
      type: tasks.type,
      title: tasks.title,
      citizenCiphertext: tasks.citizenCiphertext,
      action: events.action,
      fromStatus: events.fromStatus,
      toStatus: events.toStatus,
      actorUserId: events.actorUserId,
      actorName: users.displayName,
      actorCommuneId: events.actorCommuneId,
      actorCommuneName: communes.name,
      tokenName: integrationTokens.name,
      note: events.note,
      onBehalf: sql<boolean>`(${events.action} = 'create' and coalesce((${events.snapshot}->>'on_behalf')::boolean, false))`,
      minutesSpent: sql<number | null>`case when ${events.action} in ('complete', 'correct_time')
        then (${events.snapshot}->>'minutes_spent')::int end`,
    })
    .from(events)
    .innerJoin(tasks, eq(tasks.id, events.taskId))
    .leftJoin(users, eq(users.id, events.actorUserId))
    .leftJoin(communes, eq(communes.id, events.actorCommuneId))
    .leftJoin(
      integrationTokens,
      sql`${events.action} = 'create' and ${integrationTokens.id} = (${events.snapshot}->>'posted_by_token_id')::uuid`,
    )
    .where(
      and(
        eq(events.regionId, f.regionId),
        eq(tasks.requestingCommuneId, f.communeId),
        realTasks(),
        gte(events.createdAt, dayStartSql(f.from)),
        lt(events.createdAt, dayEndSql(f.to)),
        ne(events.action, 'reminded'),
        f.afterId === undefined ? undefined : gt(events.id, f.afterId),
      ),
    )
    .orderBy(asc(events.id))
    .limit(f.limit);
}

export type JournalRow = Awaited<ReturnType<typeof journalEntries>>[number];
