import { z } from 'zod';
import { TaskSort } from '../../../shared/schemas';
import { ValidationError } from '../../core/errors';
import { msg } from '../../core/messages';

/**
 * Where a page ends, in the order it was read: the order's name, then the last row's sort key
 * (its due or creation time to the microsecond, as PostgreSQL keeps it; its priority rank for the
 * priority order) and its id. Opaque to clients (base64url of JSON), and checked on the way back:
 * a forged cursor, or one from another order, is refused rather than read as something else.
 */
export interface TaskCursor {
  sort: TaskSort;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as PostgreSQL writes it for the cursor (tasks-repo.ts). */
  at: string;
  /** The priority rank (0 urgent … 3 low), for the priority order only. */
  rank: number | null;
  id: string;
}

const Microseconds = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
const Encoded = z.tuple([TaskSort, Microseconds, z.number().int().min(0).max(3).nullable(), z.uuid()]);

export function encodeCursor(position: TaskCursor): string {
  return Buffer.from(JSON.stringify([position.sort, position.at, position.rank, position.id])).toString('base64url');
}

const invalid = (message: string) =>
  new ValidationError(msg('page_cursor_invalid'), [{ field: 'cursor', message, code: 'invalid' }]);

/** The cursor as it was issued for `sort`; anything else is a 400 problem. */
export function decodeCursor(cursor: string, sort: TaskSort): TaskCursor {
  let decoded: z.infer<typeof Encoded>;
  try {
    decoded = Encoded.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid('must be a nextCursor returned by a previous page');
  }
  const [cursorSort, at, rank, id] = decoded;
  if (cursorSort !== sort)
    throw invalid(`belongs to the ${cursorSort} order, not ${sort}: start again from the first page`);
  if ((rank === null) !== (sort !== 'priority')) throw invalid('must be a nextCursor returned by a previous page');
  return { sort, at, rank, id };
}
