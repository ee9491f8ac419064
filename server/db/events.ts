import {
  and,
  asc,
  eq,
  getTableColumns,
  gt,
  isNull,
  lte,
  sql,
  type AnyColumn,
  type Placeholder,
  type SQL,
} from 'drizzle-orm';
import type { PgTable, WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import { actorUserId, type Actor } from '../core/actor';
import { chainLink, eventHash } from '../core/hash-chain';
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

/** The meta of an event that `actor` caused. */
export function eventMeta(
  actor: Actor,
  action: string,
  fromStatus: string | null,
  note: string | null = null,
): EventMeta {
  return { action, actorUserId: actorUserId(actor), actorCommuneId: actor.communeId, fromStatus, note };
}

/** A value of the event's meta in a statement: a literal, a placeholder, or a column of the changed rows. */
type MetaValue = string | null | Placeholder | AnyColumn;

/** The rows a data-modifying CTE named `changed` returned: the subjects of the events. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any selection: the builder only reads the SQL expressions it is given
type Changed = WithSubqueryWithSelection<any, 'changed'>;

/** What the events of a change say, as SQL over the `changed` rows (one event per row). */
export interface LoggedChange {
  subject: 'task' | 'incident';
  /** The subject's id: the changed row's id. */
  subjectId: SQL | AnyColumn;
  regionId: SQL | AnyColumn;
  type: EventRow['type'];
  toStatus: SQL | AnyColumn;
  /** The subject as it is after the change, as jsonb, without citizen data. */
  snapshot: SQL;
  meta: { [K in keyof EventMeta]: MetaValue };
  /** The drill of a made-up task (the changed row's `drill_id`); its events stay out of every chain. */
  drillId?: AnyColumn;
}

/**
 * The one way events are written: a CTE that inserts one event per row of the change's own
 * data-modifying CTE (`WITH changed AS (UPDATE … RETURNING *)`), so that a change and its history
 * commit together, in one statement and one round trip. The sequencer numbers and hashes the events
 * after they commit.
 */
export function eventsOf(db: Executor, changed: Changed, change: LoggedChange) {
  const { meta } = change;
  const subject = sql<string>`${change.subjectId}`;
  return db.$with('logged').as(
    db
      .insert(events)
      .select(
        // drizzle wants every column, in the table's order.
        db
          .select({
            id: sql<number>`nextval('events_id_seq')`.as('id'),
            seq: sql<null>`null::bigint`.as('seq'),
            regionPrevSeq: sql<null>`null::bigint`.as('region_prev_seq'),
            taskId: (change.subject === 'task' ? subject : sql<null>`null::uuid`).as('task_id'),
            incidentId: (change.subject === 'incident' ? subject : sql<null>`null::uuid`).as('incident_id'),
            regionId: sql<string>`${change.regionId}`.as('region_id'),
            type: sql<string>`${change.type}`.as('type'),
            action: sql<string>`${meta.action}`.as('action'),
            actorUserId: sql<string | null>`${meta.actorUserId}::uuid`.as('actor_user_id'),
            actorCommuneId: sql<string | null>`${meta.actorCommuneId}::uuid`.as('actor_commune_id'),
            fromStatus: sql<string | null>`${meta.fromStatus}::text`.as('from_status'),
            toStatus: sql<string>`${change.toStatus}`.as('to_status'),
            note: sql<string | null>`${meta.note}::text`.as('note'),
            snapshot: sql`${change.snapshot}`.as('snapshot'),
            drillId: (change.drillId ? sql<string | null>`${change.drillId}` : sql<null>`null::uuid`).as('drill_id'),
            prevHash: sql<null>`null::text`.as('prev_hash'),
            hash: sql<null>`null::text`.as('hash'),
            chainHash: sql<null>`null::text`.as('chain_hash'),
            createdAt: sql<Date>`now()`.as('created_at'),
          })
          .from(changed),
      )
      .returning({ id: events.id }),
  );
}

/**
 * Runs the change with its events (`WITH changed, logged SELECT * FROM changed`) and gives the
 * changed rows, as `Row` (the rows of the table the change wrote).
 */
export async function withEvents<Row>(db: Executor, changed: Changed, change: LoggedChange): Promise<Row[]> {
  const rows: unknown[] = await db
    .with(changed, eventsOf(db, changed, change))
    .select()
    .from(changed);
  return rows as Row[];
}

/**
 * A row as an event's snapshot holds it (`to_jsonb` of the changed row: the columns' SQL names),
 * with its timestamps as dates again.
 */
export function rowFromSnapshot(table: PgTable, snapshot: unknown): Record<string, unknown> {
  const json = snapshot as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] =
      value !== null && value !== undefined && column.columnType === 'PgTimestamp'
        ? new Date(value as string)
        : (value ?? null);
  }
  return row;
}

export type EventSubject = { taskId: string } | { incidentId: string };

function subjectCondition(subject: EventSubject) {
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

export async function listSubjectEvents(db: Executor, subject: EventSubject): Promise<EventRow[]> {
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
      // A drill's events are never numbered: outside the chains, the feed and the live board (docs/drills.md).
      .where(and(isNull(events.seq), isNull(events.drillId)))
      .orderBy(asc(events.id))
      .limit(batch);
    if (pending.length === 0) return [];

    const chains = new Map<string, string>();
    const regions = new Map<string, number>();
    let globalChain = counter.lastChainHash;
    const result = pending.map(({ chainHead, regionHead, ...row }, i) => {
      const subject = row.taskId ?? row.incidentId ?? '';
      const seq = counter.lastSeq + i + 1;
      const prevHash = chains.get(subject) ?? chainHead;
      const hash = eventHash(prevHash, chainedFields(row));
      const regionPrevSeq = regions.get(row.regionId) ?? Number(regionHead ?? 0);
      globalChain = chainLink(globalChain, hash);
      chains.set(subject, hash);
      regions.set(row.regionId, seq);
      return { ...row, seq, prevHash, hash, regionPrevSeq, chainHash: globalChain };
    });
    const lastSeq = counter.lastSeq + result.length;
    // Number, hash and link every event with one write each, move the counter, and tell every
    // listening instance (delivered when this transaction commits, not before): one statement.
    // One array per column: the statement's text stays the same whatever the batch's size.
    const column = <T>(pick: (r: (typeof result)[number]) => T) => sql.param(result.map(pick));
    await tx.execute(sql`with numbered as (
        update ${events} set seq = v.seq, prev_hash = v.prev, hash = v.hash, region_prev_seq = v.region_prev,
          chain_hash = v.chain
        from unnest(${column((r) => r.id)}::bigint[], ${column((r) => r.seq)}::bigint[], ${column((r) => r.prevHash)}::text[],
          ${column((r) => r.hash)}::text[], ${column((r) => r.regionPrevSeq)}::bigint[], ${column((r) => r.chainHash)}::text[])
          as v(id, seq, prev, hash, region_prev, chain)
        where ${events.id} = v.id
      ), counter as (
        update ${eventSequencer} set last_seq = ${lastSeq}, last_chain_hash = ${globalChain}
        where ${eventSequencer.id} = 1
      )
      select pg_notify(${EVENTS_CHANNEL}, ${String(lastSeq)})`);
    return result;
  });
}

/** A numbered event: `seq` and `regionPrevSeq` are set (the sequencer sets them together). */
const numbered = (row: EventRow): SequencedEvent => ({
  ...row,
  seq: row.seq ?? 0,
  regionPrevSeq: row.regionPrevSeq ?? 0,
});

/** Numbered events after `since`, every region, in order: what an instance has yet to publish. */
export async function numberedAfter(db: Executor, since: number, limit: number): Promise<SequencedEvent[]> {
  const rows = await db.select().from(events).where(gt(events.seq, since)).orderBy(asc(events.seq)).limit(limit);
  return rows.map(numbered);
}

/** A region's numbered events after `since` and up to `upTo`, in order. */
export async function eventsSince(
  db: Executor,
  regionId: string,
  since: number,
  upTo: number,
  limit: number,
): Promise<SequencedEvent[]> {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.regionId, regionId), gt(events.seq, since), lte(events.seq, upTo)))
    .orderBy(asc(events.seq))
    .limit(limit);
  return rows.map(numbered);
}

export async function lastSequence(db: Executor): Promise<number> {
  const [row] = await db
    .select({ lastSeq: eventSequencer.lastSeq })
    .from(eventSequencer)
    .where(eq(eventSequencer.id, 1));
  return row?.lastSeq ?? 0;
}
