import { msg } from '../../core/messages';
import {
  type CitizenWithheld,
  type FieldError,
  type ReconcileLine,
  type ReconcileLineResult,
  type ReconcileRefusal,
  type ReconcileRequest,
  type ReconcileResult,
  type RunSheet,
  type RunSheetItem,
  type RunSheetRequest,
} from '../../../shared/schemas';
import { parseTaskCode, taskCodeKey } from '../../../shared/task-code';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { openCitizen } from '../../crypto/citizen-data';
import { appendAudits, byActor } from '../../db/audit';
import { transaction, type Executor } from '../../db/client';
import { eventMeta } from '../../db/events';
import type { TaskRow } from '../../db/schema';
import { legalBasisOf } from '../data-protection/data-protection-repo';
import { defaultMinutesOf } from '../task-types/task-types-repo';
import { invalidCodeMessage } from '../tasks/task-codes';
import { lifecycle } from '../tasks/task-rules';
import { canViewCitizen, canViewTask } from '../tasks/tasks-policy';
import { presentPublicTask } from '../tasks/tasks-presenter';
import { findTasksByIds, updateTaskIf } from '../tasks/tasks-repo';
import { canPrintRunSheets, canPrintTask, canReconcileRunSheets, canReconcileTask } from './run-sheets-policy';
import { findRegionTasksByCodeKeys, lockTasks } from './run-sheets-repo';

export const onlyCommunesPrint = "Only a commune's managers and clerks print run-sheets.";
export const onlyClerksReconcile = "Only a clerk of the commune that holds the tasks types back a run-sheet's results.";
export const notYoursToPrint =
  "A run-sheet holds only tasks your commune holds, or, for its managers, your commune's own tasks.";

/** Why a task's citizen data is not on the sheet, if it is not; undefined when it is, or there is none. */
function withheld(actor: Actor, row: TaskRow): CitizenWithheld | undefined {
  if (!canViewCitizen({ ...actor, citizenBarred: false }, row)) {
    return row.citizenCiphertext === null ? undefined : 'not_yours';
  }
  if (row.citizenErasedAt) return 'erased';
  if (row.citizenCiphertext === null) return undefined;
  return actor.citizenBarred ? 'account_recovery_unconfirmed' : undefined;
}

/** The chosen tasks, in the order chosen: each one the actor may print, or the whole sheet is refused. */
async function printableTasks(ctx: DomainContext, actor: Actor, ids: string[]): Promise<TaskRow[]> {
  const duplicates: FieldError[] = ids.flatMap((id, i) =>
    ids.indexOf(id) < i ? [{ field: `taskIds.${i}`, message: 'is named twice', code: 'duplicate_id' as const }] : [],
  );
  if (duplicates.length > 0) throw new ValidationError(msg('run_sheet_duplicates'), duplicates);
  const rows = new Map((await findTasksByIds(ctx.db, ids)).map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = rows.get(id);
    if (!row || !canViewTask(actor, row)) throw new NotFoundError('task');
    if (!canPrintTask(actor, row)) throw new ForbiddenError(notYoursToPrint);
    return row;
  });
}

/**
 * A paper run-sheet of the chosen tasks: what to do, and the citizen data only where the reader may
 * read it (the requesting commune's and the holder's people, not through an unconfirmed recovered
 * account). Every citizen read is on the audit trail before the sheet leaves, as a read of one task is.
 */
export async function printRunSheet(ctx: DomainContext, actor: Actor, input: RunSheetRequest): Promise<RunSheet> {
  if (!canPrintRunSheets(actor)) throw new ForbiddenError(onlyCommunesPrint);
  const rows = await printableTasks(ctx, actor, input.taskIds);
  const readable = rows.filter((r) => r.citizenCiphertext !== null && withheld(actor, r) === undefined);
  const bases = new Map<string, { fr: string; en: string } | undefined>();
  for (const row of readable) {
    if (!bases.has(row.type)) bases.set(row.type, await legalBasisOf(ctx.db, row.regionId, row.type));
  }
  // Recorded before the data leaves: a read that is not logged does not happen.
  await appendAudits(
    ctx.db,
    readable.map((row) =>
      byActor(actor, { kind: 'citizen_read', taskId: row.id, regionId: row.regionId, detail: { via: 'run_sheet' } }),
    ),
  );
  const items = rows.map((row): RunSheetItem => {
    const reason = withheld(actor, row);
    if (reason || row.citizenCiphertext === null) {
      return { task: presentPublicTask(row), ...(reason ? { citizenWithheld: reason } : {}) };
    }
    const legalBasis = bases.get(row.type);
    return {
      task: presentPublicTask(row),
      citizen: openCitizen(ctx.dataKey, row.id, row.citizenCiphertext),
      ...(legalBasis ? { legalBasis } : {}),
    };
  });
  return {
    communeId: actor.communeId,
    communeName: actor.communeName ?? '',
    printedAt: ctx.clock.now().toISOString(),
    printedBy: actor.displayName,
    items,
  };
}

/** Every line's code read, each named once, each a task of the region: or the whole batch is refused. */
async function tasksOfLines(ctx: DomainContext, regionId: string, lines: ReconcileLine[]): Promise<TaskRow[]> {
  const errors: FieldError[] = [];
  const firstLine = new Map<string, number>();
  const keys = lines.map((line, i) => {
    const field = `lines.${i}.code`;
    const parsed = parseTaskCode(line.code);
    if (!parsed.ok) {
      errors.push({
        field,
        row: i + 1,
        message: invalidCodeMessage,
        code: 'task_code',
        params: { reason: parsed.reason },
      });
      return undefined;
    }
    const key = taskCodeKey(parsed.code);
    const first = firstLine.get(key);
    if (first !== undefined) {
      errors.push({
        field,
        row: i + 1,
        message: `appears twice: line ${first} has it too`,
        code: 'duplicate_code',
        params: { line: first },
      });
      return undefined;
    }
    firstLine.set(key, i + 1);
    return key;
  });
  const rows = new Map(
    (await findRegionTasksByCodeKeys(ctx.db, regionId, [...firstLine.keys()])).map((r) => [taskCodeKey(r.code), r]),
  );
  const found = keys.map((key, i) => {
    if (key === undefined) return undefined;
    const row = rows.get(key);
    if (!row) {
      errors.push({
        field: `lines.${i}.code`,
        row: i + 1,
        message: 'is not the code of a task of your region',
        code: 'unknown_task_code',
      });
    }
    return row;
  });
  if (errors.length > 0) {
    throw new ValidationError(
      `Nothing was applied: ${errors.length} line(s) of the run-sheet to correct first.`,
      errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
    );
  }
  return found.filter((row): row is TaskRow => row !== undefined);
}

const refusals: Record<ReconcileRefusal, string> = {
  not_held: 'Your commune does not hold this task: it is open, or another commune holds it. Nothing changed.',
  already_done: 'This task is done already. Nothing changed.',
  cancelled: 'The commune that posted this task cancelled it. Nothing changed.',
  wrong_status: 'This task waits for something else now: it cannot be completed or released from a run-sheet.',
};

function refusalOf(actor: Actor, row: TaskRow): ReconcileRefusal | undefined {
  if (row.status === 'done') return 'already_done';
  if (row.status === 'cancelled') return 'cancelled';
  if (!canReconcileTask(actor, row)) return 'not_held';
  if (row.status !== 'claimed' && row.status !== 'in_progress') return 'wrong_status';
  return undefined;
}

/** Done: started first if it was only claimed (the life cycle's order), then completed with the note as its outcome. */
async function complete(ctx: DomainContext, tx: Executor, actor: Actor, row: TaskRow, note: string | null) {
  let current = row;
  if (current.status === 'claimed') {
    const started = await updateTaskIf(
      tx,
      { taskId: row.id, version: current.version, from: lifecycle.start },
      { status: 'in_progress' },
      eventMeta(actor, 'start', current.status),
    );
    if (!started) throw new Error(`task ${row.id} changed while locked`);
    current = started;
  }
  return updateTaskIf(
    tx,
    { taskId: row.id, version: current.version, from: lifecycle.complete },
    { status: 'done', outcome: note, doneAt: ctx.clock.now(), minutesSpent: await defaultMinutesOf(tx, row.type) },
    eventMeta(actor, 'complete', current.status, note),
  );
}

/** Not done: back on the board for another commune, with the note (or the run-sheet) as the reason. */
function release(tx: Executor, actor: Actor, row: TaskRow, note: string | null) {
  return updateTaskIf(
    tx,
    { taskId: row.id, version: row.version, from: lifecycle.release },
    { status: 'open', claimedByCommuneId: null, claimedByUserId: null, claimedAt: null },
    eventMeta(actor, 'release', row.status, note ?? 'Not done (paper run-sheet)'),
  );
}

/**
 * A run-sheet's results typed back in one go. The batch is read whole first: a code mistyped, named
 * twice, or of no task of the region refuses it all (400), nothing applied. Then each line is
 * applied, in one transaction with the tasks locked: `done` completes the task (the type's default
 * minutes), `not_done` releases it to the board; a line the task's state refuses (not held by the
 * commune, done or cancelled already) is answered with its reason and the others are applied.
 */
export async function reconcileRunSheet(
  ctx: DomainContext,
  actor: Actor,
  input: ReconcileRequest,
): Promise<ReconcileResult> {
  if (!canReconcileRunSheets(actor)) throw new ForbiddenError(onlyClerksReconcile);
  const rows = await tasksOfLines(ctx, actor.regionId, input.lines);
  const lines = await transaction(ctx.db, async (tx) => {
    const locked = new Map(
      (
        await lockTasks(
          tx,
          rows.map((r) => r.id),
        )
      ).map((r) => [r.id, r]),
    );
    const results: ReconcileLineResult[] = [];
    for (const [i, line] of input.lines.entries()) {
      const row = locked.get(rows[i]?.id ?? '');
      if (!row) throw new Error(`line ${i + 1}: its task vanished`);
      const head = { line: i + 1, code: row.code, outcome: line.outcome, taskId: row.id };
      const refusal = refusalOf(actor, row);
      if (refusal) {
        results.push({
          ...head,
          result: 'refused',
          reason: refusal,
          message: refusals[refusal],
          status: row.status,
          version: row.version,
        });
        continue;
      }
      const note = line.note ?? null;
      const changed =
        line.outcome === 'done' ? await complete(ctx, tx, actor, row, note) : await release(tx, actor, row, note);
      if (!changed) throw new Error(`task ${row.id} changed while locked`);
      results.push({
        ...head,
        result: line.outcome === 'done' ? 'completed' : 'released',
        message: line.outcome === 'done' ? 'Completed.' : 'Released: back on the board for another commune.',
        status: changed.status,
        version: changed.version,
      });
    }
    return results;
  });
  ctx.sequencer.kick();
  const applied = lines.filter((l) => l.result !== 'refused').length;
  return { applied, refused: lines.length - applied, lines };
}
