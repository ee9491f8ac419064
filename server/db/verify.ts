import { asc, eq, gt } from 'drizzle-orm';
import type { ChainReport } from '../../shared/schemas';
import { chainLink, eventHash } from '../core/hash-chain';
import { auditHash } from './audit';
import type { Executor } from './client';
import { chainedFields } from './events';
import { auditLog, auditSequencer, eventSequencer, events, type AuditRow, type EventRow } from './schema';

const PAGE = 5000;

/** `123:<64 hex digits>`, a head as the verification prints it, read back; null if it is not one. */
export function readAnchoredHead(text: string): AnchoredHead | null {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2] ?? '' } : null;
}

/** A head recorded outside (printed, mailed): the chain must still hold it, at the same place. */
export interface AnchoredHead {
  seq: number;
  hash: string;
}

/** Walks a chain in `seq` order, page by page; `check` says what is wrong with a row, if anything. */
async function walk<Row extends { seq: number | null }>(
  next: (after: number) => Promise<Row[]>,
  check: (row: Row, expectedSeq: number) => string | undefined,
): Promise<{ count: number; last: Row | undefined; firstBroken: ChainReport['firstBroken'] }> {
  let count = 0;
  let last: Row | undefined;
  for (;;) {
    const rows = await next(last?.seq ?? 0);
    for (const row of rows) {
      const expected = count + 1;
      if (row.seq !== expected) {
        return { count, last, firstBroken: { seq: expected, reason: `number ${expected} is missing` } };
      }
      const reason = check(row, expected);
      if (reason) return { count, last, firstBroken: { seq: expected, reason } };
      count = expected;
      last = row;
    }
    if (rows.length < PAGE) return { count, last, firstBroken: null };
  }
}

/** What the counter and an anchored head say about the end of a chain that holds up row by row. */
function tailProblem(
  count: number,
  counter: { lastSeq: number; lastHash: string | null } | undefined,
  head: string | null,
  anchored: AnchoredHead | undefined,
  hashAt: (seq: number) => string | null,
): ChainReport['firstBroken'] {
  const lastSeq = counter?.lastSeq ?? 0;
  if (count !== lastSeq) {
    return { seq: count + 1, reason: `${lastSeq} were numbered, ${count} are there: the last ones are gone` };
  }
  if ((counter?.lastHash ?? null) !== head) return { seq: count, reason: 'the head differs from the counter' };
  if (anchored && (anchored.seq > count || hashAt(anchored.seq) !== anchored.hash)) {
    return { seq: Math.min(anchored.seq, count + 1), reason: 'the anchored head is no longer in the chain' };
  }
  return null;
}

/**
 * Checks the events: numbered 1, 2, 3… without a gap; each one's hash covers its content and its
 * task's or incident's previous event; the global chain links every hash in order; the counter and,
 * if given, a head anchored earlier, agree with the end. Reports the first broken link.
 */
export async function verifyEventChain(db: Executor, anchored?: AnchoredHead): Promise<ChainReport> {
  const [counter] = await db.select().from(eventSequencer).where(eq(eventSequencer.id, 1));
  const subjects = new Map<string, string>();
  const anchoredAt = new Map<number, string | null>();
  let chain: string | null = null;
  const { count, last, firstBroken } = await walk<EventRow>(
    (after) => db.select().from(events).where(gt(events.seq, after)).orderBy(asc(events.seq)).limit(PAGE),
    (row) => {
      const subject = row.taskId ?? row.incidentId ?? '';
      if (row.prevHash !== (subjects.get(subject) ?? null)) return 'it does not follow the previous event of its task';
      if (row.hash !== eventHash(row.prevHash, chainedFields(row))) return 'its content does not match its hash';
      chain = chainLink(chain, row.hash);
      if (row.chainHash !== chain) return 'it breaks the global chain';
      subjects.set(subject, row.hash);
      if (anchored?.seq === row.seq) anchoredAt.set(row.seq, chain);
      return undefined;
    },
  );
  const head = last?.chainHash ?? null;
  const broken =
    firstBroken ??
    tailProblem(
      count,
      counter && { lastSeq: counter.lastSeq, lastHash: counter.lastChainHash },
      head,
      anchored,
      (seq) => anchoredAt.get(seq) ?? null,
    );
  return {
    lastSeq: counter?.lastSeq ?? 0,
    count,
    head: last && head ? { seq: count, hash: head } : null,
    ok: !broken,
    firstBroken: broken,
  };
}

/** Checks the audit trail the same way: one global chain of entries numbered without a gap. */
export async function verifyAuditChain(db: Executor, anchored?: AnchoredHead): Promise<ChainReport> {
  const [counter] = await db.select().from(auditSequencer).where(eq(auditSequencer.id, 1));
  const anchoredAt = new Map<number, string | null>();
  let prev: string | null = null;
  const { count, last, firstBroken } = await walk<AuditRow>(
    (after) => db.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(PAGE),
    (row) => {
      if (row.prevHash !== prev) return 'it does not follow the entry before it';
      if (row.hash !== auditHash(prev, row)) return 'its content does not match its hash';
      prev = row.hash;
      if (anchored?.seq === row.seq) anchoredAt.set(row.seq, row.hash);
      return undefined;
    },
  );
  const head = last?.hash ?? null;
  const broken =
    firstBroken ??
    tailProblem(
      count,
      counter && { lastSeq: counter.lastSeq, lastHash: counter.lastHash },
      head,
      anchored,
      (seq) => anchoredAt.get(seq) ?? null,
    );
  return {
    lastSeq: counter?.lastSeq ?? 0,
    count,
    head: last && head ? { seq: count, hash: head } : null,
    ok: !broken,
    firstBroken: broken,
  };
}
