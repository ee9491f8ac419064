import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { TaskExportQuery } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { listCommunes } from '../communes/communes-repo';
import { isOverdue } from './task-rules';
import type { TaskCursor } from './task-cursor';
import { taskFilter } from './tasks';
import { canExportTasks } from './tasks-policy';
import { listTasks } from './tasks-repo';
import { msg } from '../../core/messages';

export const onlyManagersAndCoordinatorsExport = msg('only_managers_and_coordinators_export');

const columns = [
  'id',
  'code',
  'requesting_commune',
  'type',
  'title',
  'details',
  'priority',
  'status',
  'due_at',
  'overdue',
  'delivery_mode',
  'claimed_by_commune',
  'claimed_at',
  'outcome',
  'created_at',
  'updated_at',
  'done_at',
];

const iso = (d: Date | null) => d?.toISOString() ?? '';
const PAGE = 1000;

/**
 * The tasks the board's filters select, as CSV, written page by page as they are read. Never citizen
 * data (the export has no column for it, and the rows are read without it); spreadsheet formulas in
 * the free text are escaped. The export is recorded on the audit trail.
 */
export async function exportTasks(ctx: DomainContext, actor: Actor, query: TaskExportQuery, res: Response) {
  if (!canExportTasks(actor)) throw new ForbiddenError(onlyManagersAndCoordinatorsExport);
  const names = new Map((await listCommunes(ctx.db, actor.regionId)).map((c) => [c.id, c.name]));
  await appendAudit(ctx.db, byActor(actor, { kind: 'export', detail: { of: 'tasks', ...query } }));
  res.type('text/csv').attachment('entraide-tasks.csv');
  const csv = stringify({ header: true, columns, escape_formulas: true, bom: true });
  csv.pipe(res);
  const at = ctx.clock.now();
  // Always the real world: an export never carries a drill's made-up tasks.
  const filter = { ...taskFilter(actor.regionId, query, at), world: null };
  const now = at.getTime();
  try {
    let after: TaskCursor | undefined;
    for (;;) {
      const rows = await listTasks(ctx.db, { ...filter, sort: query.sort, after, limit: PAGE });
      for (const t of rows) {
        csv.write([
          t.id,
          t.code,
          names.get(t.requestingCommuneId) ?? t.requestingCommuneId,
          t.type,
          t.title,
          t.details,
          t.priority,
          t.status,
          iso(t.dueAt),
          isOverdue(t, now) ? 'yes' : 'no',
          t.deliveryMode,
          t.claimedByCommuneId ? (names.get(t.claimedByCommuneId) ?? t.claimedByCommuneId) : '',
          iso(t.claimedAt),
          t.outcome ?? '',
          iso(t.createdAt),
          iso(t.updatedAt),
          iso(t.doneAt),
        ]);
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) break;
      after = { sort: query.sort, at: last.cursorAt, rank: last.priorityRank, id: last.id };
    }
    csv.end();
    await finished(res);
  } catch (err) {
    // Half a file must not pass for a whole one: the connection is cut.
    res.destroy(err instanceof Error ? err : undefined);
    throw err;
  }
}
