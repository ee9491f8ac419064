import crypto from 'node:crypto';
import { asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AuditKind } from '../../shared/schemas';
import { actorUserId, type Actor } from '../core/actor';
import { canonicalJson } from '../core/hash-chain';
import type { Executor } from './client';
import { auditLog, auditSequencer, type AuditRow } from './schema';

/** What the audit trail records (shared AuditKind). Task and incident changes are events (db/events.ts). */
export interface AuditEntry {
  kind: AuditKind;
  /** The region concerned, for its DPO; null for the platform's own. */
  regionId: string | null;
  actorUserId: string | null;
  actorCommuneId?: string | null;
  subjectUserId?: string | null;
  taskId?: string | null;
  /** What happened, for a reader: identifiers and settings, never citizen data or secrets. */
  detail?: Record<string, unknown>;
}

/** An entry `actor` caused: their id and commune, and the region they act in unless said otherwise. */
export function byActor(
  actor: Actor,
  entry: Omit<AuditEntry, 'actorUserId' | 'actorCommuneId' | 'regionId'> & {
    regionId?: string | null;
  },
): AuditEntry {
  return {
    ...entry,
    regionId: entry.regionId ?? actor.regionId,
    actorUserId: actorUserId(actor),
    actorCommuneId: actor.communeId,
  };
}

/** Appends an entry in the caller's transaction; the audit sequencer numbers and chains it after commit. */
export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await appendAudits(db, [entry]);
}

/** Appends several entries in one statement, in the caller's transaction (a run-sheet's or a journal's citizen reads). */
export async function appendAudits(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      kind: entry.kind,
      regionId: entry.regionId,
      actorUserId: entry.actorUserId,
      actorCommuneId: entry.actorCommuneId ?? null,
      subjectUserId: entry.subjectUserId ?? null,
      taskId: entry.taskId ?? null,
      detail: entry.detail ?? {},
    })),
  );
}

/** The fields an audit entry's hash covers: all but its numbering. */
export function auditFields(row: AuditRow) {
  return {
    id: row.id,
    regionId: row.regionId,
    kind: row.kind,
    actorUserId: row.actorUserId,
    actorCommuneId: row.actorCommuneId,
    subjectUserId: row.subjectUserId,
    taskId: row.taskId,
    detail: row.detail,
    at: row.at.toISOString(),
  };
}

/** sha256(previous entry's hash, "\n", the entry's fields as canonical JSON): one global chain. */
export function auditHash(prevHash: string | null, row: AuditRow): string {
  return crypto
    .createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(auditFields(row)))
    .digest('hex');
}

/**
 * Numbers and chains the committed, unnumbered audit entries, in id order, under the lock of the
 * audit sequencer's row: as the event sequencer does (db/events.ts), so a number is never handed
 * out twice and the chain has no fork.
 */
export async function sequenceAuditPending(db: Executor, batch = 5000): Promise<AuditRow[]> {
  return db.transaction(async (tx) => {
    const [counter] = await tx.select().from(auditSequencer).where(eq(auditSequencer.id, 1)).for('update');
    if (!counter) throw new Error('audit_sequencer row is missing: migrations did not run');
    const pending = await tx.select().from(auditLog).where(isNull(auditLog.seq)).orderBy(asc(auditLog.id)).limit(batch);
    if (pending.length === 0) return [];
    let prevHash = counter.lastHash;
    const numbered = pending.map((row, i) => {
      const hash = auditHash(prevHash, row);
      const entry = { ...row, seq: counter.lastSeq + i + 1, prevHash, hash };
      prevHash = hash;
      return entry;
    });
    const column = <T>(pick: (r: (typeof numbered)[number]) => T) => sql.param(numbered.map(pick));
    const lastSeq = counter.lastSeq + numbered.length;
    await tx.execute(sql`with numbered as (
        update ${auditLog} set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from unnest(${column((r) => r.id)}::bigint[], ${column((r) => r.seq)}::bigint[],
          ${column((r) => r.prevHash)}::text[], ${column((r) => r.hash)}::text[]) as v(id, seq, prev, hash)
        where ${auditLog.id} = v.id
      )
      update ${auditSequencer} set last_seq = ${lastSeq}, last_hash = ${prevHash} where ${auditSequencer.id} = 1`);
    return numbered;
  });
}

/** Numbered audit entries after `seq`, in order: for the chain's verification. */
export async function auditAfter(db: Executor, seq: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(gt(auditLog.seq, seq)).orderBy(asc(auditLog.seq)).limit(limit);
}
