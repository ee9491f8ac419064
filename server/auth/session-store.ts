import session from 'express-session';
import type { Db } from '../db/client';
import { deleteExpiredSessions, deleteSession, readSession, touchSession, writeSession } from '../db/misc-repo';

type Callback = (err?: unknown) => void;

/**
 * express-session's store on our own database, so it works on the embedded PGlite and on a server
 * alike and every instance shares the sessions. The user id is kept beside the session so that
 * deactivating an account can end all of its sessions at once.
 */
export class DatabaseSessionStore extends session.Store {
  private sweeper: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly ttlMs: number) {
    super();
    this.sweeper = setInterval(() => void deleteExpiredSessions(this.db).catch(() => undefined), 15 * 60_000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private expiry(sess: session.SessionData): Date {
    return sess.cookie?.expires ? new Date(sess.cookie.expires) : new Date(Date.now() + this.ttlMs);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    readSession(this.db, sid).then(
      (row) => cb(null, row && row.expiresAt.getTime() > Date.now() ? (row.sess as session.SessionData) : null),
      (err: unknown) => cb(err),
    );
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    const userId = (sess as { passport?: { user?: string } }).passport?.user ?? null;
    writeSession(this.db, sid, sess, userId, this.expiry(sess)).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override destroy(sid: string, cb?: Callback): void {
    deleteSession(this.db, sid).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    touchSession(this.db, sid, this.expiry(sess)).then(() => cb?.(), (err: unknown) => cb?.(err));
  }
}
