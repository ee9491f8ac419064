import { msg } from '../../core/messages';
import { z } from 'zod';
import type { Citizen, JournalEntry } from '../../../shared/schemas';
import { ValidationError } from '../../core/errors';
import type { JournalRow } from './journal-repo';

/** An event row as a journal entry; the citizen only when the caller may read it (and has been recorded reading it). */
export function presentJournalEntry(row: JournalRow, communeId: string, citizen?: Citizen): JournalEntry {
  const integration = row.actorUserId === null && row.tokenName !== null;
  return {
    id: row.id,
    at: row.at.toISOString(),
    taskId: row.taskId,
    code: row.code,
    type: row.type,
    title: row.title,
    action: row.action as JournalEntry['action'],
    fromStatus: row.fromStatus as JournalEntry['fromStatus'],
    toStatus: row.toStatus as JournalEntry['toStatus'],
    actorKind: integration ? 'integration' : row.actorUserId === null ? 'system' : 'user',
    actorName: integration ? row.tokenName : row.actorName,
    actorCommuneId: row.actorCommuneId,
    actorCommuneName: row.actorCommuneName,
    onBehalf: row.onBehalf,
    byOwnCommune: row.actorCommuneId === communeId || (integration && !row.onBehalf),
    note: row.note,
    minutesSpent: row.minutesSpent,
    ...(citizen ? { citizen } : {}),
  };
}

/** The CSV's columns: never a citizen's. */
export const journalCsvColumns = [
  'at',
  'task_code',
  'task_type',
  'task_title',
  'action',
  'from_status',
  'to_status',
  'by',
  'by_commune',
  'on_behalf',
  'by_own_commune',
  'note',
  'minutes_spent',
];

export function journalCsvRow(e: JournalEntry): (string | number)[] {
  return [
    e.at,
    e.code,
    e.type,
    e.title,
    e.action,
    e.fromStatus ?? '',
    e.toStatus,
    e.actorName ?? e.actorKind,
    e.actorCommuneName ?? '',
    e.onBehalf ? 'yes' : 'no',
    e.byOwnCommune ? 'yes' : 'no',
    e.note ?? '',
    e.minutesSpent ?? '',
  ];
}

const Cursor = z.coerce.number().int().positive();

export const encodeJournalCursor = (id: number): string => Buffer.from(String(id)).toString('base64url');

export function decodeJournalCursor(cursor: string): number {
  const parsed = Cursor.safeParse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (parsed.success) return parsed.data;
  throw new ValidationError(msg('page_cursor_invalid'), [
    { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
  ]);
}
