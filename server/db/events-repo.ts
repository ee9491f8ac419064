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
/** A numbered event, with the number of the event before it in the same region (0 if none). */
export type SequencedEvent = EventRow & { seq: number; prevInRegion: number };

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
    await tx.update(eventSequencer).set({ lastSeq: counter.lastSeq + numbered.length }).where(eq(eventSequencer.id, 1));

    const heads = await chainHeads(tx, numbered);
    for (const row of numbered) {
      const subject = row.taskId ?? row.incidentId ?? '';
      row.prevHash = heads.get(subject) ?? null;
      row.hash = eventHash(row.prevHash, chainedFields(row));
      heads.set(subject, row.hash);
    }
    const values = numbered.map((r) => sql`(${r.id}::bigint, ${r.prevHash}::text, ${r.hash}::text)`);
    await tx.execute(sql`update ${events} set prev_hash = v.prev, hash = v.hash
      from (values ${sql.join(values, sql`, `)}) as v(id, prev, hash) where ${events.id} = v.id`);

    // Each region's stream links every event to the one before it, so a live client can tell a gap.
    const regionHeads = new Map<string, number>();
    for (const regionId of new Set(numbered.map((r) => r.regionId))) {
      const [head] = await tx.select({ seq: sql<number | null>`max(${events.seq})` }).from(events)
        .where(and(eq(events.regionId, regionId), lte(events.seq, counter.lastSeq)));
      regionHeads.set(regionId, Number(head?.seq ?? 0));
    }
    return numbered.map((row) => {
      const prevInRegion = regionHeads.get(row.regionId) ?? 0;
      const seq = row.seq ?? 0;
      regionHeads.set(row.regionId, seq);
      return { ...row, seq, prevInRegion };
    });
  });
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
