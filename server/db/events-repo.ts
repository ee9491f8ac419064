import { and, asc, desc, eq, getTableColumns, gt, isNull, lte, sql } from 'drizzle-orm';
import { eventHash } from '../domain/hash-chain';
import type { Executor, Tx } from './client';
import { eventSequencer, events, type EventRow } from './schema';

const eventColumns = getTableColumns(events);

export interface NewEvent {
  subject: { taskId: string } | { incidentId: string };
  regionId: string;
  type: EventRow['type'];
  action: string;
  actorUserId: string | null;
  actorCommuneId: string | null;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
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

/**
 * Appends an event in the caller's transaction. The caller holds the subject's row lock (it has just
 * updated or inserted it), so no other event of the same subject can slip in between.
 */
export async function appendEvent(tx: Tx, event: NewEvent): Promise<void> {
  const [prev] = await tx
    .select({ hash: events.hash })
    .from(events)
    .where(subjectCondition(event.subject))
    .orderBy(desc(events.id))
    .limit(1);
  await tx.insert(events).values(chain(prev?.hash ?? null, event));
}

/** The first events of subjects created in this transaction: nothing precedes them, one INSERT. */
export async function appendFirstEvents(tx: Tx, batch: NewEvent[]): Promise<void> {
  if (batch.length > 0) await tx.insert(events).values(batch.map((event) => chain(null, event)));
}

function chain(prevHash: string | null, event: NewEvent): typeof events.$inferInsert {
  const row = {
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
  };
  return { ...row, prevHash, hash: eventHash(prevHash, chainedFields(row)) };
}

export async function listSubjectEvents(db: Executor, subject: NewEvent['subject']): Promise<EventRow[]> {
  return db.select().from(events).where(subjectCondition(subject)).orderBy(asc(events.id));
}

/**
 * Numbers every committed, unnumbered event. Runs are serialised by the lock on the sequencer row,
 * and a run only sees events committed before it, so a number handed out later is always larger:
 * the numbering order is the commit order and a reader following `seq` never misses an event.
 */
export async function sequencePending(db: Executor, batch = 5000): Promise<EventRow[]> {
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
    await tx.update(eventSequencer).set({ lastSeq: counter.lastSeq + numbered.length }).where(eq(eventSequencer.id, 1));
    return numbered.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  });
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
