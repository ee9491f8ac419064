import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { loginThrottle } from '../../db/schema';

// Failed-login counters for express-rate-limit.
export async function incrementThrottle(db: Executor, key: string, windowMs: number) {
  const resetAt = new Date(Date.now() + windowMs);
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, hits: 1, resetAt })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        hits: sql`case when ${loginThrottle.resetAt} <= now() then 1 else ${loginThrottle.hits} + 1 end`,
        resetAt: sql`case when ${loginThrottle.resetAt} <= now() then ${resetAt} else ${loginThrottle.resetAt} end`,
      },
    })
    .returning({ hits: loginThrottle.hits, resetAt: loginThrottle.resetAt });
  if (!row) throw new Error('throttle upsert returned no row');
  return row;
}

export async function decrementThrottle(db: Executor, key: string) {
  await db
    .update(loginThrottle)
    .set({ hits: sql`greatest(${loginThrottle.hits} - 1, 0)` })
    .where(and(eq(loginThrottle.key, key), sql`${loginThrottle.resetAt} > now()`));
}

export async function resetThrottle(db: Executor, key: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
