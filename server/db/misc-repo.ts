import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from './client';
import { citizenReads, loginThrottle, sessions, users } from './schema';

export async function recordCitizenRead(
  db: Executor,
  read: { taskId: string; userId: string; communeId: string | null },
) {
  await db.insert(citizenReads).values(read);
}

export async function listCitizenReads(db: Executor, taskId: string) {
  return db
    .select({
      at: citizenReads.at,
      userId: citizenReads.userId,
      username: users.username,
      communeId: citizenReads.communeId,
    })
    .from(citizenReads)
    .innerJoin(users, eq(users.id, citizenReads.userId))
    .where(eq(citizenReads.taskId, taskId))
    .orderBy(desc(citizenReads.at))
    .limit(500);
}

// Sessions: the store behind express-session, shared by every instance.
export async function writeSession(db: Executor, sid: string, sess: unknown, userId: string | null, expiresAt: Date) {
  await db
    .insert(sessions)
    .values({ sid, sess, userId, expiresAt })
    .onConflictDoUpdate({ target: sessions.sid, set: { sess, userId, expiresAt } });
}

export async function touchSession(db: Executor, sid: string, expiresAt: Date) {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.sid, sid));
}

export async function deleteSession(db: Executor, sid: string) {
  await db.delete(sessions).where(eq(sessions.sid, sid));
}

/** Told when a session or a user's sessions change, so that every instance drops what it cached. */
export const SESSIONS_CHANNEL = 'entraide_sessions';

/** `s:<sid>` for one session, `u:<user id>` for every session of a user. */
export async function announceSessionChange(db: Executor, change: { sid: string } | { userId: string }) {
  const payload = 'sid' in change ? `s:${change.sid}` : `u:${change.userId}`;
  await db.execute(sql`select pg_notify(${SESSIONS_CHANNEL}, ${payload})`);
}

export async function deleteExpiredSessions(db: Executor) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

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
