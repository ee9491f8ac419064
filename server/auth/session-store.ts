import session from 'express-session';
import type { Db } from '../db/client';
import { deleteExpiredSessions, deleteSession, touchSession, writeSession } from '../db/misc-repo';
import { readSessionWithActor } from '../db/users-repo';
import type { Actor } from '../domain/actor';

type Callback = (err?: unknown) => void;

/**
 * express-session's store on our own database, so it works on the embedded PGlite and on a server
 * alike and every instance shares the sessions. The user id is kept beside the session so that
 * deactivating an account can end all of its sessions at once.
 */
export class DatabaseSessionStore extends session.Store {
  private sweeper: NodeJS.Timeout;
  /** Actors read with their session, waiting for passport's deserializeUser in the same request. */
  private readonly actors = new Map<string, Actor>();
  /** When each session's expiry was last pushed back. */
  private readonly touched = new Map<string, number>();

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
    readSessionWithActor(this.db, sid).then(
      (row) => {
        if (!row || row.expiresAt.getTime() <= Date.now()) return cb(null, null);
        if (row.actor) {
          if (this.actors.size > 10_000) this.actors.clear();
          this.actors.set(sid, row.actor);
        }
        cb(null, row.sess as session.SessionData);
      },
      (err: unknown) => cb(err),
    );
  }

  /** The actor read with session `sid` in this request, if any; taken once. */
  takeActor(sid: string): Actor | undefined {
    const actor = this.actors.get(sid);
    this.actors.delete(sid);
    return actor;
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    const userId = (sess as { passport?: { user?: string } }).passport?.user ?? null;
    writeSession(this.db, sid, sess, userId, this.expiry(sess)).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override destroy(sid: string, cb?: Callback): void {
    this.actors.delete(sid);
    this.touched.delete(sid);
    deleteSession(this.db, sid).then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  /**
   * express-session touches the session on every request; writing that each time would cost a
   * database write per request. Pushing the expiry back once a minute is as good.
   */
  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    const now = Date.now();
    if (now - (this.touched.get(sid) ?? 0) < 60_000) return cb?.();
    if (this.touched.size > 10_000) this.touched.clear();
    this.touched.set(sid, now);
    touchSession(this.db, sid, this.expiry(sess)).then(() => cb?.(), (err: unknown) => cb?.(err));
  }
}
