import {
  Journal,
  ReconcileResult,
  RunSheet,
  type ReconcileRequestInput,
  type StatementClose,
} from '../../../shared/schemas';
import { call, json } from './client';

const period = (p: StatementClose) => `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;

/** Paper run-sheets, their reconciliation, and a commune's hand-back journal. */
export const runSheetsApi = {
  /** The sheet of the chosen tasks: each read of citizen data on it is recorded. */
  print: (taskIds: string[]) => call(RunSheet, '/run-sheets', json({ taskIds })),
  reconcile: (input: ReconcileRequestInput) => call(ReconcileResult, '/run-sheets/reconcile', json(input)),
  journal: (communeId: string, p: StatementClose, cursor?: string) =>
    call(
      Journal,
      `/communes/${communeId}/journal?${period(p)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  /** CSV downloads are plain links: the browser sends the session cookie. */
  journalCsvHref: (communeId: string, p: StatementClose) =>
    `/api/v1/communes/${communeId}/journal?${period(p)}&format=csv`,
};
