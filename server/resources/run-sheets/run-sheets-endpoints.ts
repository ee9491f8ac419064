import { ReconcileRequest, ReconcileResult, RunSheet, RunSheetRequest } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { onlyClerksReconcile, onlyCommunesPrint, printRunSheet, reconcileRunSheet } from './run-sheets';
import { canPrintRunSheets, canReconcileRunSheets } from './run-sheets-policy';

const tag = 'run-sheets';

/** Paper run-sheets for services that work by hand: printed from the board, their results typed back. */
export const runSheetsEndpoints = [
  endpoint({
    method: 'post',
    path: '/run-sheets',
    tag,
    summary:
      "A paper run-sheet of the chosen tasks: those the commune holds, or a manager's own commune's; citizen data where the reader may read it (each read recorded)",
    permission: permission.policy(canPrintRunSheets, onlyCommunesPrint),
    body: RunSheetRequest,
    responses: { 200: { description: 'The sheet, tasks in the order chosen', schema: RunSheet } },
    handle: ({ ctx, actor, body }) => printRunSheet(ctx, actor, body),
  }),

  endpoint({
    method: 'post',
    path: '/run-sheets/reconcile',
    tag,
    summary:
      "A run-sheet's results typed back: each line done (completed) or not_done (released to the board), applied or refused with its reason (clerk of the holding commune)",
    permission: permission.policy(canReconcileRunSheets, onlyClerksReconcile),
    body: ReconcileRequest,
    responses: { 200: { description: 'What each line did', schema: ReconcileResult } },
    problems: {
      400: 'A code mistyped (its check character), named twice, or of no task of your region: nothing applied',
    },
    handle: ({ ctx, actor, body }) => reconcileRunSheet(ctx, actor, body),
  }),
];
