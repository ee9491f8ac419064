import { and, count, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { totpRecoveryCodes, users } from '../../db/schema';

/** An account's second factor as stored: the sealed secret, when it was confirmed, the last step used. */
export async function findSecondFactor(db: Executor, userId: string) {
  const [row] = await db
    .select({ sealed: users.totpSecret, confirmedAt: users.totpConfirmedAt, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/** Keeps a new, unconfirmed secret; refused (false) when the account has a confirmed one. */
export async function storeUnconfirmedSecret(db: Executor, userId: string, sealed: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpSecret: sealed, totpLastStep: null })
    .where(and(eq(users.id, userId), isNull(users.totpConfirmedAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Turns the secret `sealed` on, with the step of the code that proved it; false if it changed meanwhile. */
export async function confirmSecret(db: Executor, userId: string, sealed: string, step: number, at: Date) {
  const rows = await db
    .update(users)
    .set({ totpConfirmedAt: at, totpLastStep: step })
    .where(and(eq(users.id, userId), isNull(users.totpConfirmedAt), eq(users.totpSecret, sealed)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Accepts time step `step` of the account's confirmed factor if it is later than the last accepted:
 * one statement, so that two requests with the same code cannot both get through.
 */
export async function acceptStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(users.id, userId),
        isNotNull(users.totpConfirmedAt),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/** The account's recovery codes are these (their hashes) from now on; the old ones stop working. */
export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: readonly string[]) {
  await db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
  if (hashes.length > 0) await db.insert(totpRecoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

/** Uses an unused recovery code of the account, once: false when there is none with that hash. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(totpRecoveryCodes)
    .set({ usedAt: at })
    .where(
      and(
        eq(totpRecoveryCodes.userId, userId),
        eq(totpRecoveryCodes.codeHash, codeHash),
        isNull(totpRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: totpRecoveryCodes.id });
  return rows.length > 0;
}

export async function recoveryCodesLeft(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(totpRecoveryCodes)
    .where(and(eq(totpRecoveryCodes.userId, userId), isNull(totpRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** The account has no second factor any more: its secret and recovery codes are gone. False if it had none confirmed. */
export async function removeSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null, updatedAt: sql`now()` })
    .where(and(eq(users.id, userId), isNotNull(users.totpConfirmedAt)))
    .returning({ id: users.id });
  if (rows.length === 0) return false;
  await db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
  return true;
}
