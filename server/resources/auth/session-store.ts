import session from 'express-session';
import type { Actor } from '../../core/actor';
import type { Db } from '../../db/client';
import {
  announceSessionChange,
  deleteExpiredSessions,
  deleteSession,
  readSessionWithActor,
  touchSession,
  writeSession,
} from './sessions-repo';

type Callback = (err?: unknown) => void;

const CACHE_MAX = 10_000;

interface Cached {
  /** The session as JSON: express-session changes the object it is given, so each request gets its own. */
  json: string;
  expiresAt: number;
  /** SESSION_MAX_HOURS after its sign-in: a touch never pushes the expiry past it. */
  endsAt: number;
  actor: Actor | undefined;
  readAt: number;
}

/**
 * express-session's store on our own database, so it works on the embedded PGlite and on a server
 * alike and every instance shares the sessions. The user id is kept beside the session so that
 * deactivating an account can end all of its sessions at once.
 *
 * Every API request reads its session and its user: the pair is kept in memory for a few seconds.
 * A change to a session or a user (logout, login, deactivation, new password) drops it at once on
 * this instance and, through a database notification, on every other; should a notification be
 * lost, the entry is gone within `cacheMs` anyway, and the whole cache is dropped whenever
 * the notification connection fails. `cacheMs` (SESSION_CACHE_MS) bounds how long a change made behind
 * the app's back (SQL by hand) or an unheard notification can go unnoticed; 0 turns the cache off.
 */
export class DatabaseSessionStore extends session.Store {
  private sweeper: NodeJS.Timeout;
  /** Actors read with their session, waiting for passport's deserializeUser in the same request. */
  private readonly actors = new Map<string, Actor>();
  /** When each session's expiry was last pushed back. */
  private readonly touched = new Map<string, number>();
  private readonly cache = new Map<string, Cached>();
  /** Moves on every forget: a read that started before one must not be cached, it may predate the change. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly cacheMs: number,
    /** A session's whole life from its sign-in, however busy it is. */
    private readonly maxMs: number,
  ) {
    super();
    this.sweeper = setInterval(() => void deleteExpiredSessions(this.db, maxMs).catch(() => undefined), 15 * 60_000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.cache.clear();
  }

  /** A notification payload from SESSIONS_CHANNEL: `s:<sid>` or `u:<user id>`. */
  forget(payload: string): void {
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.forgetAll();
  }

  forgetSession(sid: string): void {
    this.generation++;
    this.cache.delete(sid);
    this.actors.delete(sid);
  }

  forgetUser(userId: string): void {
    this.generation++;
    for (const [sid, entry] of this.cache) if (entry.actor?.id === userId) this.cache.delete(sid);
  }

  forgetAll(): void {
    this.generation++;
    this.cache.clear();
  }

  private expiry(sess: session.SessionData): Date {
    // The cookie's maxAge is what is left of its life (express-session sets it at every request).
    return new Date(Date.now() + (sess.cookie.maxAge ?? this.ttlMs));
  }

  private deliver(sid: string, entry: Cached, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    if (entry.actor) {
      if (this.actors.size > CACHE_MAX) this.actors.clear();
      this.actors.set(sid, entry.actor);
    }
    cb(null, JSON.parse(entry.json) as session.SessionData);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    const now = Date.now();
    const cached = this.cache.get(sid);
    if (cached && now - cached.readAt < this.cacheMs && cached.expiresAt > now) return this.deliver(sid, cached, cb);
    const generation = this.generation;
    readSessionWithActor(this.db, sid).then(
      (row) => {
        // Idle too long, or signed in too long ago: either way it is over.
        const endsAt = row ? row.createdAt.getTime() + this.maxMs : 0;
        const expiresAt = row ? Math.min(row.expiresAt.getTime(), endsAt) : 0;
        if (!row || expiresAt <= Date.now()) {
          this.cache.delete(sid);
          cb(null, null);
          return;
        }
        const entry: Cached = {
          json: JSON.stringify(row.sess),
          expiresAt,
          endsAt,
          actor: row.actor,
          readAt: now,
        };
        if (generation === this.generation && this.cacheMs > 0) {
          if (this.cache.size >= CACHE_MAX) this.cache.clear();
          this.cache.set(sid, entry);
        }
        this.deliver(sid, entry, cb);
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
    this.forgetSession(sid);
    const userId = (sess as { passport?: { user?: string } }).passport?.user ?? null;
    writeSession(this.db, sid, sess, userId, this.expiry(sess))
      .then(() => announceSessionChange(this.db, { sid }))
      .then(
        () => cb?.(),
        (err: unknown) => cb?.(err),
      );
  }

  override destroy(sid: string, cb?: Callback): void {
    this.forgetSession(sid);
    this.touched.delete(sid);
    deleteSession(this.db, sid)
      .then(() => announceSessionChange(this.db, { sid }))
      .then(
        () => cb?.(),
        (err: unknown) => cb?.(err),
      );
  }

  /**
   * express-session touches the session on every request; writing that each time would cost a
   * database write per request. Pushing the expiry back once a minute is as good.
   */
  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    const now = Date.now();
    if (now - (this.touched.get(sid) ?? 0) < 60_000) return cb?.();
    if (this.touched.size > CACHE_MAX) this.touched.clear();
    this.touched.set(sid, now);
    const expiresAt = this.expiry(sess);
    const cached = this.cache.get(sid);
    if (cached) cached.expiresAt = Math.min(expiresAt.getTime(), cached.endsAt);
    touchSession(this.db, sid, expiresAt).then(
      () => cb?.(),
      (err: unknown) => cb?.(err),
    );
  }
}
