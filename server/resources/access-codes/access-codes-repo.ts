import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { accessCodes } from '../../db/schema';

/**
 * A new code for `userId`; the codes issued to them before and not used yet are revoked (and kept).
 * Two writes: the caller runs them in its transaction.
 */
export async function replaceAccessCode(
  tx: Executor,
  code: { userId: string; codeHash: string; issuedBy: string; expiresAt: Date },
): Promise<void> {
  await tx
    .update(accessCodes)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(accessCodes.userId, code.userId), isNull(accessCodes.usedAt), isNull(accessCodes.revokedAt)));
  await tx.insert(accessCodes).values(code);
}

/**
 * Uses the code if it is `userId`'s, unused, not revoked and unexpired: one conditional write, so that two
 * simultaneous attempts with the same code cannot both get in.
 */
export async function useAccessCode(
  db: Executor,
  userId: string,
  codeHash: string,
): Promise<{ issuedBy: string } | undefined> {
  const rows = await db
    .update(accessCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accessCodes.userId, userId),
        eq(accessCodes.codeHash, codeHash),
        isNull(accessCodes.usedAt),
        isNull(accessCodes.revokedAt),
        gt(accessCodes.expiresAt, sql`now()`),
      ),
    )
    .returning({ issuedBy: accessCodes.issuedBy });
  return rows[0];
}
