import type { ReconcileRequestInput, RunSheetOutcome } from '../../../../shared/schemas';
import { parseTaskCode, taskCodeKey } from '../../../../shared/task-code';

/** One line of a run-sheet as the clerk types it back. */
export interface TypedLine {
  code: string;
  outcome: RunSheetOutcome;
  note: string;
}

export const blankLine = (): TypedLine => ({ code: '', outcome: 'done', note: '' });

/**
 * What a typed code is worth before anything is sent, by the same check the server makes
 * (shared/task-code.ts): `empty` lines are left out; `check` is a typing mistake (a wrong character,
 * two swapped); `duplicate` names a task an earlier line named (`line`, from 1).
 */
export type LineCheck =
  | { state: 'empty' }
  | { state: 'ok'; code: string }
  | { state: 'malformed' }
  | { state: 'check' }
  | { state: 'duplicate'; line: number };

export function checkLines(lines: readonly TypedLine[]): LineCheck[] {
  const first = new Map<string, number>();
  return lines.map((line, i): LineCheck => {
    if (line.code.trim() === '') return { state: 'empty' };
    const parsed = parseTaskCode(line.code);
    if (!parsed.ok) return { state: parsed.reason };
    const key = taskCodeKey(parsed.code);
    const earlier = first.get(key);
    if (earlier !== undefined) return { state: 'duplicate', line: earlier };
    first.set(key, i + 1);
    return { state: 'ok', code: parsed.code };
  });
}

/** The lines to send: the typed ones, in order, each with its place among the typed lines. */
export function batchOf(lines: readonly TypedLine[]): { request: ReconcileRequestInput; rows: number[] } {
  const rows: number[] = [];
  const sent = lines.flatMap((line, i) => {
    if (line.code.trim() === '') return [];
    rows.push(i);
    const note = line.note.trim();
    return [{ code: line.code.trim(), outcome: line.outcome, ...(note ? { note } : {}) }];
  });
  return { request: { lines: sent }, rows };
}

/** Whether the batch may be sent: at least one line, and every typed code reads as a code, once. */
export const readyToSend = (checks: readonly LineCheck[]): boolean =>
  checks.some((c) => c.state === 'ok') && checks.every((c) => c.state === 'ok' || c.state === 'empty');
