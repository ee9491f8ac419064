import { and, asc, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
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

export function chainedFields(row: Pick<EventRow, 'taskId' | 'incidentId' | 'type' | 'action' | 'actorUserId' | 'actorCommuneId' | 'fromStatus' | 'toStatus' | 'note' | 'snapshot' | 'createdAt'>) {
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

/**
 * Numbers and hashes every committed, unnumbered event. Runs are serialised by the lock on the
 * sequencer row, and a run only sees events committed before it, so a number handed out later is
 * always larger: the numbering order is the commit order and a reader following `seq` never misses
 * an event. Each subject's events are committed in order (its row lock), so chaining them by `seq`
 * chains them in the order they happened.
 */
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
    const [counter] = await tx.select().from(eventSequencer).where(eq(eventSequencer.id, 1)).for('update');
    if (!counter) throw new Error('event_sequencer row is missing: migrations did not run');
    const pending = tx.$with('pending').as(
      tx.select({ id: events.id, rn: sql<number>`row_number() over (order by ${events.id})`.as('rn') })
        .from(events).where(isNull(events.seq)).orderBy(asc(events.id)).limit(batch),
    );
    const numbered = await tx.with(pending).update(events)
      .set({ seq: sql`${counter.lastSeq} + ${pending.rn}` })
      .from(pending).where(eq(events.id, pending.id)).returning(eventColumns);
    if (numbered.length === 0) return [];
    numbered.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    const lastSeq = counter.lastSeq + numbered.length;
    await tx.update(eventSequencer).set({ lastSeq }).where(eq(eventSequencer.id, 1));

    const chains = await chainHeads(tx, numbered);
    const regions = await regionHeads(tx, numbered, counter.lastSeq);
    const result = numbered.map((row) => {
      const subject = row.taskId ?? row.incidentId ?? '';
      const seq = row.seq ?? 0;
      const prevHash = chains.get(subject) ?? null;
      const hash = eventHash(prevHash, chainedFields(row));
      const regionPrevSeq = regions.get(row.regionId) ?? 0;
      chains.set(subject, hash);
      regions.set(row.regionId, seq);
      return { ...row, seq, prevHash, hash, regionPrevSeq };
    });
    const values = result.map((r) => sql`(${r.id}::bigint, ${r.prevHash}::text, ${r.hash}::text, ${r.regionPrevSeq}::bigint)`);
    await tx.execute(sql`update ${events} set prev_hash = v.prev, hash = v.hash, region_prev_seq = v.region_prev
      from (values ${sql.join(values, sql`, `)}) as v(id, prev, hash, region_prev) where ${events.id} = v.id`);
    // Delivered to every listening instance when this transaction commits, not before.
    await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${String(lastSeq)})`);
    return result;
  });
}

/** Each region's last numbered event before this batch. */
async function regionHeads(db: Executor, batch: EventRow[], before: number): Promise<Map<string, number>> {
  const heads = new Map<string, number>();
  for (const regionId of new Set(batch.map((r) => r.regionId))) {
    const [head] = await db.select({ seq: sql<number | null>`max(${events.seq})` }).from(events)
      .where(and(eq(events.regionId, regionId), lte(events.seq, before)));
    heads.set(regionId, Number(head?.seq ?? 0));
  }
  return heads;
}

/** Numbered events after `since`, every region, in order: what an instance has yet to publish. */
export async function numberedAfter(db: Executor, since: number, limit: number): Promise<SequencedEvent[]> {
  const rows = await db.select().from(events).where(gt(events.seq, since)).orderBy(asc(events.seq)).limit(limit);
  return rows.map((r) => ({ ...r, seq: r.seq ?? 0, regionPrevSeq: r.regionPrevSeq ?? 0 }));
}

/** The last hash of each subject's chain before this batch. */
async function chainHeads(db: Executor, batch: EventRow[]): Promise<Map<string, string>> {
  const taskIds = [...new Set(batch.flatMap((r) => (r.taskId ? [r.taskId] : [])))];
  const incidentIds = [...new Set(batch.flatMap((r) => (r.incidentId ? [r.incidentId] : [])))];
  const subject = sql<string>`coalesce(${events.taskId}, ${events.incidentId})`;
  const rows = await db
    .selectDistinctOn([subject], { subject, hash: events.hash })
    .from(events)
    .where(and(
      isNotNull(events.hash),
      or(taskIds.length ? inArray(events.taskId, taskIds) : undefined, incidentIds.length ? inArray(events.incidentId, incidentIds) : undefined),
    ))
    .orderBy(subject, desc(events.seq));
  return new Map(rows.flatMap((r) => (r.hash ? [[r.subject, r.hash] as const] : [])));
}

export async function eventsSince(db: Executor, regionId: string, since: number, upTo: number, limit: number): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.regionId, regionId), gt(events.seq, since), lte(events.seq, upTo)))
    .orderBy(asc(events.seq))
    .limit(limit);
}

export async function lastSequence(db: Executor): Promise<number> {
  const [row] = await db.select({ lastSeq: eventSequencer.lastSeq }).from(eventSequencer).where(eq(eventSequencer.id, 1));
  return row?.lastSeq ?? 0;
}
