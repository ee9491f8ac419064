import { and, asc, eq, getTableColumns, gt, isNull, lte, sql } from 'drizzle-orm';
import { eventHash } from '../domain/hash-chain';
import type { Executor } from './client';
import { eventSequencer, events, type EventRow } from './schema';

const eventColumns = getTableColumns(events);

/** Who did what: the part of an event the caller knows before writing. */
export interface EventMeta {
  action: string;
  actorUserId: string | null;
  actorCommuneId: string | null;
  fromStatus: string | null;
  note: string | null;
}

export interface NewEvent extends EventMeta {
  subject: { taskId: string } | { incidentId: string };
  regionId: string;
  type: EventRow['type'];
  toStatus: string;
  snapshot: unknown;
}

function subjectCondition(subject: NewEvent['subject']) {
  return 'taskId' in subject ? eq(events.taskId, subject.taskId) : eq(events.incidentId, subject.incidentId);
}

export function chainedFields(
  row: Pick<
    EventRow,
    | 'taskId'
    | 'incidentId'
    | 'type'
    | 'action'
    | 'actorUserId'
    | 'actorCommuneId'
    | 'fromStatus'
    | 'toStatus'
    | 'note'
    | 'snapshot'
    | 'createdAt'
  >,
) {
  return {
    subject: row.taskId ?? row.incidentId ?? '',
    type: row.type,
    action: row.action,
    actorUserId: row.actorUserId,
    actorCommuneId: row.actorCommuneId,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    note: row.note,
    snapshot: row.snapshot,
    at: row.createdAt.toISOString(),
  };
}

/** Appends an event in the caller's transaction; the sequencer numbers and hashes it after commit. */
export async function appendEvent(db: Executor, event: NewEvent): Promise<void> {
  await db.insert(events).values({
    taskId: 'taskId' in event.subject ? event.subject.taskId : null,
    incidentId: 'incidentId' in event.subject ? event.subject.incidentId : null,
    regionId: event.regionId,
    type: event.type,
    action: event.action,
    actorUserId: event.actorUserId,
    actorCommuneId: event.actorCommuneId,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    note: event.note,
    snapshot: event.snapshot,
    createdAt: new Date(),
  });
}

export async function listSubjectEvents(db: Executor, subject: NewEvent['subject']): Promise<EventRow[]> {
  return db.select().from(events).where(subjectCondition(subject)).orderBy(asc(events.id));
}

/** A committed event with its number: what the board publishes. */
export type SequencedEvent = EventRow & { seq: number; regionPrevSeq: number };

/** Told, on commit, the last number a sequencer run handed out; every instance listens to it. */
export const EVENTS_CHANNEL = 'entraide_events';

/**
 * Numbers and hashes every committed, unnumbered event. Runs are serialised by the lock on the
 * sequencer row, and a run only sees events committed before it, so a number handed out later is
 * always larger: the numbering order is the commit order and a reader following `seq` never misses
 * an event. Each subject's events are committed in order (its row lock), so chaining them by `seq`
 * chains them in the order they happened; each region's events are linked the same way
 * (`region_prev_seq`) so that a live client can tell a gap.
 */
export async function sequencePending(db: Executor, batch = 5000): Promise<SequencedEvent[]> {
  return db.transaction(async (tx) => {
    // The lock first, in its own statement: the read below then sees every run that came before.
    const [counter] = await tx.select().from(eventSequencer).where(eq(eventSequencer.id, 1)).for('update');
    if (!counter) throw new Error('event_sequencer row is missing: migrations did not run');
    // The pending events, each with the head of its subject's chain and of its region's links.
    // A subject's events commit in order (its row lock), so its last numbered one is its last by id.
    // Written out: drizzle leaves the outer columns unqualified, and inside the subqueries they would
    // name the inner table.
    const head = sql.raw('head');
    const outer = (column: string) => sql.raw(`"events".${column}`);
    const pending = await tx
      .select({
        ...eventColumns,
        chainHead: sql<string | null>`coalesce(
          (select ${head}.hash from ${events} as ${head} where ${head}.task_id = ${outer('task_id')} and ${head}.seq is not null
            order by ${head}.id desc limit 1),
          (select ${head}.hash from ${events} as ${head} where ${head}.incident_id = ${outer('incident_id')} and ${head}.seq is not null
            order by ${head}.id desc limit 1))`,
        regionHead: sql<
          string | number | null
        >`(select max(${head}.seq) from ${events} as ${head} where ${head}.region_id = ${outer('region_id')})`,
      })
      .from(events)
      .where(isNull(events.seq))
      .orderBy(asc(events.id))
      .limit(batch);
    if (pending.length === 0) return [];

    const chains = new Map<string, string>();
    const regions = new Map<string, number>();
    const result = pending.map(({ chainHead, regionHead, ...row }, i) => {
      const subject = row.taskId ?? row.incidentId ?? '';
      const seq = counter.lastSeq + i + 1;
      const prevHash = chains.get(subject) ?? chainHead;
      const hash = eventHash(prevHash, chainedFields(row));
      const regionPrevSeq = regions.get(row.regionId) ?? Number(regionHead ?? 0);
      chains.set(subject, hash);
      regions.set(row.regionId, seq);
      return { ...row, seq, prevHash, hash, regionPrevSeq };
    });
    const lastSeq = counter.lastSeq + result.length;
    // Number, hash and link every event with one write each, move the counter, and tell every
    // listening instance (delivered when this transaction commits, not before): one statement.
    // One array per column: the statement's text stays the same whatever the batch's size.
    const column = <T>(pick: (r: (typeof result)[number]) => T) => sql.param(result.map(pick));
    await tx.execute(sql`with numbered as (
        update ${events} set seq = v.seq, prev_hash = v.prev, hash = v.hash, region_prev_seq = v.region_prev
        from unnest(${column((r) => r.id)}::bigint[], ${column((r) => r.seq)}::bigint[], ${column((r) => r.prevHash)}::text[],
          ${column((r) => r.hash)}::text[], ${column((r) => r.regionPrevSeq)}::bigint[]) as v(id, seq, prev, hash, region_prev)
        where ${events.id} = v.id
      ), counter as (
        update ${eventSequencer} set last_seq = ${lastSeq} where ${eventSequencer.id} = 1
      )
      select pg_notify(${EVENTS_CHANNEL}, ${String(lastSeq)})`);
    return result;
  });
}

/** Numbered events after `since`, every region, in order: what an instance has yet to publish. */
export async function numberedAfter(db: Executor, since: number, limit: number): Promise<SequencedEvent[]> {
  const rows = await db.select().from(events).where(gt(events.seq, since)).orderBy(asc(events.seq)).limit(limit);
  return rows.map((r) => ({ ...r, seq: r.seq ?? 0, regionPrevSeq: r.regionPrevSeq ?? 0 }));
}

export async function eventsSince(
  db: Executor,
  regionId: string,
  since: number,
  upTo: number,
  limit: number,
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.regionId, regionId), gt(events.seq, since), lte(events.seq, upTo)))
    .orderBy(asc(events.seq))
    .limit(limit);
}

export async function lastSequence(db: Executor): Promise<number> {
  const [row] = await db
    .select({ lastSeq: eventSequencer.lastSeq })
    .from(eventSequencer)
    .where(eq(eventSequencer.id, 1));
  return row?.lastSeq ?? 0;
}
