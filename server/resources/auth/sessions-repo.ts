import { and, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor';
import { preparedOnce, type Executor } from '../../db/client';
import { communes, regions, sessions, users } from '../../db/schema';
import { actorColumns } from '../accounts/accounts-repo';

/** The store behind express-session, shared by every instance. */
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

/** Ends the sessions idle past their expiry, or older than `maxMs` since their sign-in. */
export async function deleteExpiredSessions(db: Executor, maxMs: number) {
  await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, new Date()), lt(sessions.createdAt, new Date(Date.now() - maxMs))));
}

/** Which of `sids` are still live sessions (neither expired nor older than `maxMs`): for the live board. */
export async function liveSessionIds(db: Executor, sids: readonly string[], maxMs: number): Promise<Set<string>> {
  if (sids.length === 0) return new Set();
  const rows = await db
    .select({ sid: sessions.sid })
    .from(sessions)
    .where(
      and(
        sql`${sessions.sid} = any(${sql.param(sids)}::text[])`,
        gt(sessions.expiresAt, new Date()),
        gt(sessions.createdAt, new Date(Date.now() - maxMs)),
      ),
    );
  return new Set(rows.map((r) => r.sid));
}

/** Ends every session of a user (deactivation, password change). */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<number> {
  const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ sid: sessions.sid });
  return rows.length;
}

/** A session and its user's actor in one round trip: every API request needs both. */
function prepareSessionRead(db: Executor) {
  return db
    .select({ sess: sessions.sess, expiresAt: sessions.expiresAt, createdAt: sessions.createdAt, actor: actorColumns })
    .from(sessions)
    .leftJoin(users, eq(users.id, sessions.userId))
    .leftJoin(communes, eq(communes.id, users.communeId))
    .leftJoin(regions, eq(regions.id, sql`coalesce(${communes.regionId}, ${users.regionId})`))
    .where(eq(sessions.sid, sql.placeholder('sid')))
    .prepare('entraide_read_session');
}

const sessionRead = preparedOnce(prepareSessionRead);

export async function readSessionWithActor(db: Executor, sid: string) {
  const [row] = await sessionRead(db).execute({ sid });
  if (!row) return undefined;
  return {
    sess: row.sess,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    actor: row.actor.id === null ? undefined : (row.actor as Actor),
  };
}
