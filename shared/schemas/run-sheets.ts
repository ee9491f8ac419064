import { z } from 'zod';
import { limits } from '../limits';
import { Id } from './common';
import { Citizen, PublicTask, Reason, TaskStatus } from './tasks';

/** The tasks a run-sheet prints, as chosen from a list. */
export const RunSheetRequest = z
  .strictObject({
    taskIds: z
      .array(Id, { error: 'must be a list of task ids' })
      .min(1, 'must name at least one task')
      .max(limits.runSheetTasksMax, `must name at most ${limits.runSheetTasksMax} tasks`),
  })
  .meta({ id: 'RunSheetRequest' });
export type RunSheetRequest = z.infer<typeof RunSheetRequest>;

/**
 * Why a line of the sheet has no citizen data: the reader's commune may not read it (`not_yours`),
 * their account was recovered by someone else and awaits a second person's confirmation, or it was
 * erased after the retention period. A task without citizen data has neither.
 */
export const CitizenWithheld = z.enum(['not_yours', 'account_recovery_unconfirmed', 'erased']);
export type CitizenWithheld = z.infer<typeof CitizenWithheld>;

export const RunSheetItem = z
  .object({
    task: PublicTask,
    citizen: Citizen.optional(),
    citizenWithheld: CitizenWithheld.optional(),
    /** Beside the citizen data, why it may be processed. */
    legalBasis: z.object({ fr: z.string(), en: z.string() }).optional(),
  })
  .meta({ id: 'RunSheetItem' });
export type RunSheetItem = z.infer<typeof RunSheetItem>;

/** A paper run-sheet: the chosen tasks in the order chosen, each read of citizen data recorded. */
export const RunSheet = z
  .object({
    communeId: Id,
    communeName: z.string(),
    printedAt: z.string(),
    printedBy: z.string(),
    items: z.array(RunSheetItem),
  })
  .meta({ id: 'RunSheet' });
export type RunSheet = z.infer<typeof RunSheet>;

export const RunSheetOutcome = z.enum(['done', 'not_done'], { error: 'must be done or not_done' });
export type RunSheetOutcome = z.infer<typeof RunSheetOutcome>;

export const ReconcileLine = z.strictObject({
  code: z.string({ error: 'is required' }).trim().min(1, 'is required').max(40, 'must be at most 40 characters'),
  outcome: RunSheetOutcome,
  /** What was done (the outcome of a done task), or why not (the reason a task goes back to the board). */
  note: Reason.optional(),
});
export type ReconcileLine = z.infer<typeof ReconcileLine>;

export const ReconcileRequest = z
  .strictObject({
    lines: z
      .array(ReconcileLine, { error: 'must be a list of lines' })
      .min(1, 'must hold at least one line')
      .max(limits.reconcileLinesMax, `must hold at most ${limits.reconcileLinesMax} lines`),
  })
  .meta({ id: 'ReconcileRequest' });
export type ReconcileRequest = z.infer<typeof ReconcileRequest>;
export type ReconcileRequestInput = z.input<typeof ReconcileRequest>;

/**
 * What a line did: `completed` (done; started first if it was only claimed), `released` (not done:
 * back on the board, the note as the reason), or `refused` with the reason.
 */
export const ReconcileResultKind = z.enum(['completed', 'released', 'refused']);
export const ReconcileRefusal = z.enum(['not_held', 'already_done', 'cancelled', 'wrong_status']);
export type ReconcileRefusal = z.infer<typeof ReconcileRefusal>;

export const ReconcileLineResult = z
  .object({
    /** The line's place in the batch, from 1. */
    line: z.number().int(),
    code: z.string(),
    outcome: RunSheetOutcome,
    result: ReconcileResultKind,
    reason: ReconcileRefusal.optional(),
    /** In English, for a reader; `result` and `reason` say it for a program. */
    message: z.string(),
    taskId: Id,
    status: TaskStatus,
    version: z.number().int(),
  })
  .meta({ id: 'ReconcileLineResult' });
export type ReconcileLineResult = z.infer<typeof ReconcileLineResult>;

export const ReconcileResult = z
  .object({
    applied: z.number().int(),
    refused: z.number().int(),
    lines: z.array(ReconcileLineResult),
  })
  .meta({ id: 'ReconcileResult' });
export type ReconcileResult = z.infer<typeof ReconcileResult>;
