import type { Response } from 'express';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { AuditEntry, AuditFilter, AuditPage, AuditQuery, AuditVerification } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { readAnchoredHead, verifyAuditChain, verifyEventChain, type AnchoredHead } from '../../db/verify';
import { isDpo } from '../data-protection/data-protection-policy';
import { listAudit } from './audit-repo';
import { msg } from '../../core/messages';

export const onlyDposReadAudit = msg('only_dpos_read_audit');
export const onlyDposAndAdminVerify = msg('only_dpos_and_admin_verify');

type Row = Awaited<ReturnType<typeof listAudit>>[number];

const present = (row: Row): AuditEntry => ({
  ...row,
  kind: row.kind as AuditEntry['kind'],
  at: row.at.toISOString(),
  detail: (row.detail ?? {}) as Record<string, unknown>,
});

const encodeCursor = (id: number) => Buffer.from(String(id)).toString('base64url');
function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new ValidationError(msg('page_cursor_invalid'), [
      { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
    ]);
  }
  return id;
}

/** The region's audit trail, latest first: for its DPO (endpoint permission). */
export async function auditTrail(ctx: DomainContext, actor: Actor, query: AuditQuery): Promise<AuditPage> {
  if (!isDpo(actor)) throw new ForbiddenError(onlyDposReadAudit);
  await ctx.auditSequencer.flush();
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listAudit(ctx.db, actor.regionId, query, { before, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(present),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
  };
}

const csvColumns = [
  'seq',
  'at',
  'kind',
  'actor',
  'actor_id',
  'actor_commune_id',
  'subject',
  'subject_id',
  'task_id',
  'detail',
];

/**
 * The same trail as CSV, every page of it, written as it is read. Spreadsheet formulas are escaped
 * (a display name could start with "="); the export is itself recorded.
 */
export async function exportAuditTrail(ctx: DomainContext, actor: Actor, filter: AuditFilter, res: Response) {
  if (!isDpo(actor)) throw new ForbiddenError(onlyDposReadAudit);
  await ctx.auditSequencer.flush();
  await appendAudit(ctx.db, byActor(actor, { kind: 'export', detail: { of: 'audit', ...filter } }));
  res.type('text/csv').attachment('entraide-audit.csv');
  const csv = stringify({ header: true, columns: csvColumns, escape_formulas: true, bom: true });
  csv.pipe(res);
  try {
    let before: number | undefined;
    for (;;) {
      const rows = await listAudit(ctx.db, actor.regionId, filter, { before, limit: 1000 });
      for (const r of rows) {
        const line = [r.seq, r.at.toISOString(), r.kind, r.actorName, r.actorUserId, r.actorCommuneId, r.subjectName];
        csv.write([...line, r.subjectUserId, r.taskId, JSON.stringify(r.detail)]);
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < 1000) break;
      before = last.id;
    }
    csv.end();
    await finished(res);
  } catch (err) {
    // Half a file must not pass for a whole one: the connection is cut.
    res.destroy(err instanceof Error ? err : undefined);
    throw err;
  }
}

/** A head recorded earlier, as the query gives it (`123:<hash>`). */
export function parseHead(value: string | undefined, field: string): AnchoredHead | undefined {
  if (value === undefined) return undefined;
  const head = readAnchoredHead(value);
  if (!head) {
    throw new ValidationError(msg('anchor_invalid'), [
      { field, message: 'must be a sequence number and a hash: 123:<64 hex digits>', code: 'invalid' },
    ]);
  }
  return head;
}

/** Both chains checked from the first link, and held against heads anchored earlier when given. */
export async function verifyChains(
  ctx: DomainContext,
  anchored: { events?: AnchoredHead; audit?: AnchoredHead },
): Promise<AuditVerification> {
  await Promise.all([ctx.sequencer.flush(), ctx.auditSequencer.flush()]);
  const [events, audit] = await Promise.all([
    verifyEventChain(ctx.db, anchored.events),
    verifyAuditChain(ctx.db, anchored.audit),
  ]);
  return { checkedAt: ctx.clock.now().toISOString(), events, audit };
}
