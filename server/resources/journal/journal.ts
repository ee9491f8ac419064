import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { REPORT_TIME_ZONE, type Citizen, type Journal, type JournalQuery } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { openCitizen } from '../../crypto/citizen-data';
import { appendAudit, appendAudits, byActor } from '../../db/audit';
import type { CommuneRow } from '../../db/schema';
import { findCommune } from '../communes/communes-repo';
import { canViewCitizen } from '../tasks/tasks-policy';
import { canReadJournal, canReadJournalCitizens, canReadJournals, canSeeJournalCommune } from './journal-policy';
import {
  decodeJournalCursor,
  encodeJournalCursor,
  journalCsvColumns,
  journalCsvRow,
  presentJournalEntry,
} from './journal-presenter';
import { journalEntries, type JournalRow } from './journal-repo';

export const onlyManagersAndCoordinatorsReadJournals =
  "Only a commune's managers and the region's coordinator read its hand-back journal.";
const onlyOwnJournal = "Only this commune's managers and the region's coordinator read its hand-back journal.";

async function journalCommune(ctx: DomainContext, actor: Actor, communeId: string): Promise<CommuneRow> {
  if (!canReadJournals(actor)) throw new ForbiddenError(onlyManagersAndCoordinatorsReadJournals);
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !canSeeJournalCommune(actor, commune)) throw new NotFoundError('commune');
  if (!canReadJournal(actor, commune)) throw new ForbiddenError(onlyOwnJournal);
  return commune;
}

/**
 * The citizens of the page's tasks, for the commune's own managers: each task read once, every read
 * on the audit trail before any leaves, as a read of one task is. Nobody else gets any.
 */
async function pageCitizens(
  ctx: DomainContext,
  actor: Actor,
  commune: CommuneRow,
  rows: JournalRow[],
): Promise<Map<string, Citizen>> {
  const citizens = new Map<string, Citizen>();
  if (!canReadJournalCitizens(actor, commune)) return citizens;
  const sealed = new Map<string, JournalRow>();
  for (const row of rows) {
    if (row.citizenCiphertext !== null && canViewCitizen(actor, row)) sealed.set(row.taskId, row);
  }
  await appendAudits(
    ctx.db,
    [...sealed.values()].map((row) =>
      byActor(actor, { kind: 'citizen_read', taskId: row.taskId, regionId: row.regionId, detail: { via: 'journal' } }),
    ),
  );
  for (const [taskId, row] of sealed) {
    if (row.citizenCiphertext !== null) citizens.set(taskId, openCitizen(ctx.dataKey, taskId, row.citizenCiphertext));
  }
  return citizens;
}

/**
 * Every act on the commune's tasks in the period, a page at a time, oldest first: for re-entry into
 * its own registers when its systems return. Its managers and the region's coordinator read it; the
 * citizens only its managers (see `pageCitizens`).
 */
export async function communeJournal(
  ctx: DomainContext,
  actor: Actor,
  communeId: string,
  query: JournalQuery,
): Promise<Journal> {
  const commune = await journalCommune(ctx, actor, communeId);
  const afterId = query.cursor === undefined ? undefined : decodeJournalCursor(query.cursor);
  const rows = await journalEntries(ctx.db, {
    communeId,
    regionId: commune.regionId,
    from: query.from,
    to: query.to,
    afterId,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const citizens = await pageCitizens(ctx, actor, commune, page);
  const last = page[page.length - 1];
  const barred = actor.citizenBarred && canReadJournalCitizens({ ...actor, citizenBarred: false }, commune);
  return {
    communeId,
    communeName: commune.name,
    from: query.from,
    to: query.to,
    timeZone: REPORT_TIME_ZONE,
    ...(barred ? { citizenWithheld: 'account_recovery_unconfirmed' as const } : {}),
    items: page.map((row) => presentJournalEntry(row, communeId, citizens.get(row.taskId))),
    nextCursor: rows.length > query.limit && last ? encodeJournalCursor(last.id) : null,
  };
}

const PAGE = 1000;

/**
 * The journal as CSV, written page by page as it is read: never citizen data (no column for it, and
 * none is opened), spreadsheet formulas escaped. The export is on the audit trail.
 */
export async function exportJournal(
  ctx: DomainContext,
  actor: Actor,
  communeId: string,
  query: JournalQuery,
  res: Response,
): Promise<void> {
  const commune = await journalCommune(ctx, actor, communeId);
  await appendAudit(
    ctx.db,
    byActor(actor, { kind: 'export', detail: { of: 'journal', communeId, from: query.from, to: query.to } }),
  );
  res.type('text/csv').attachment(`entraide-journal-${commune.code}-${query.from}-${query.to}.csv`);
  const csv = stringify({ header: true, columns: journalCsvColumns, escape_formulas: true, bom: true });
  csv.pipe(res);
  try {
    let afterId: number | undefined;
    for (;;) {
      const rows = await journalEntries(ctx.db, {
        communeId,
        regionId: commune.regionId,
        from: query.from,
        to: query.to,
        afterId,
        limit: PAGE,
      });
      for (const row of rows) csv.write(journalCsvRow(presentJournalEntry(row, communeId)));
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) break;
      afterId = last.id;
    }
    csv.end();
    await finished(res);
  } catch (err) {
    // Half a file must not pass for a whole one: the connection is cut.
    res.destroy(err instanceof Error ? err : undefined);
    throw err;
  }
}
