import { z } from 'zod';
import { ValidationError } from '../../core/errors';

const Cursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** Opaque to clients: the sort key of the last row of the previous page. */
export function encodeCursor(position: { dueAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([position.dueAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { dueAt: Date; id: string } {
  try {
    const [dueAt, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { dueAt: new Date(dueAt), id };
  } catch {
    throw new ValidationError('The page cursor is not valid.', [
      { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
    ]);
  }
}
