import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Executor } from './client';
import { idempotencyKeys } from './schema';

/** Where a post with an Idempotency-Key stands when it arrives. */
export type KeyClaim =
  /** The first with this key: go ahead, then record the answer. */
  | { kind: 'first' }
  /** Seen before: its request's hash, and its answer once it has one (null while it is under way). */
  | { kind: 'seen'; requestHash: string; answer: { status: number; body: unknown } | null };

/**
 * Takes a key for a post, or tells what became of it. Keys older than `expiredBefore` are forgotten
 * first (of this scope: the primary key's prefix), so a key may be used again after a day.
 */
export async function claimKey(
  db: Executor,
  k: { scope: string; key: string; requestHash: string; now: Date; expiredBefore: Date },
  attempt = 0,
): Promise<KeyClaim> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, k.scope), lt(idempotencyKeys.createdAt, k.expiredBefore)));
  const taken = await db
    .insert(idempotencyKeys)
    .values({ scope: k.scope, key: k.key, requestHash: k.requestHash, createdAt: k.now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (taken.length > 0) return { kind: 'first' };
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, k.scope), eq(idempotencyKeys.key, k.key)));
  // Forgotten between the two statements (it failed and was released): the caller tries again.
  if (!row) {
    if (attempt >= 3) throw new Error('an Idempotency-Key kept vanishing');
    return claimKey(db, k, attempt + 1);
  }
  return {
    kind: 'seen',
    requestHash: row.requestHash,
    answer: row.status === null ? null : { status: row.status, body: row.response },
  };
}

/** Records the answer of the post that took the key. */
export async function completeKey(db: Executor, scope: string, key: string, status: number, body: unknown) {
  await db
    .update(idempotencyKeys)
    .set({ status, response: body ?? null })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), isNull(idempotencyKeys.status)));
}

/** Gives a key back when its post failed, so that a corrected retry with the same key can go through. */
export async function releaseKey(db: Executor, scope: string, key: string) {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), isNull(idempotencyKeys.status)));
}
