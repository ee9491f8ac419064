import type http from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { RequestHandler } from 'express';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import {
  BoardSyncRequest,
  connectErrors,
  TaskViewRequest,
  type BoardSyncAck,
  type ClientToServerEvents,
  type NotificationCreated,
  type ServerToClientEvents,
  type TaskViewAck,
  type TaskViewer,
} from '../../shared/events';
import { limits } from '../../shared/limits';
import type { BoardChange, ChangesPage, CommuneLoad } from '../../shared/schemas';
import { isRegionMember, mustEnrolSecondFactor, type Actor } from '../core/actor';
import { msg } from '../core/messages';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../core/errors';
import type { Database, Db } from '../db/client';
import { EVENTS_CHANNEL, type SequencedEvent } from '../db/events';
import { isOwnOrigin } from '../http/guards';
import { localeFor, problemOf } from '../http/problem';
import { zodFieldErrors } from '../http/validate';
import { BoardPublisher } from './board-publisher';
import { corkEachSend } from './corked-writes';
import { LoadUpdates } from './load-updates';
import type { Sequencer } from './sequencer';

/**
 * The pool as @socket.io/postgres-adapter uses it (connect and query), with two repairs.
 * - When the server ends the adapter's listening connection, the adapter takes a new one but never
 *   gives the dead one back, which would hold a pool slot for good and keep the pool from closing:
 *   here a connection that ends is returned (and destroyed) once, whoever releases it first.
 * - When the adapter closes while it is taking a new connection (after such an end), it would keep
 *   that one for good too: `close()` destroys every connection still out, and a connection asked for
 *   after it is never handed over (the adapter would otherwise retry every two seconds, forever).
 */
export function poolForAdapter(pool: Pool): { pool: Pool; close(): void } {
  const out = new Set<PoolClient>();
  let closed = false;
  const connect = async () => {
    if (closed) return new Promise<never>(() => undefined);
    const client = await pool.connect();
    const release = client.release.bind(client);
    let released = false;
    client.release = (err?: Error | boolean) => {
      if (released) return;
      released = true;
      out.delete(client);
      release(err);
    };
    client.once('end', () => client.release(true));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `close()` may have run while the connection was awaited
    if (closed) {
      client.release(true);
      return new Promise<never>(() => undefined);
    }
    out.add(client);
    return client;
  };
  return {
    pool: { connect, query: pool.query.bind(pool) } as unknown as Pool,
    close() {
      closed = true;
      for (const client of [...out]) client.release(true);
    },
  };
}

interface SocketData {
  actor: Actor;
  sessionId: string;
  /** The task whose page this socket shows, if any (presence). */
  viewing?: string;
}
/** A batch of new notifications, each for one user: what the notifier hands to every instance. */
export type CreatedNotifications = { userId: string; notification: NotificationCreated['notification'] }[];
/** Between instances, through the adapter: one message per notifier batch, not one per notification. */
interface ServerSideEvents {
  'notifications:created': (created: CreatedNotifications) => void;
}
type BoardServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

/** Rooms: a socket joins only those its user may see, so a broadcast reaches exactly its audience. */
export const rooms = {
  region: (id: string) => `region:${id}`,
  regionRole: (id: string, role: string) => `region:${id}:${role}`,
  commune: (id: string) => `commune:${id}`,
  user: (id: string) => `user:${id}`,
  session: (id: string) => `session:${id}`,
  task: (id: string) => `task:${id}`,
};

export interface Realtime {
  io: BoardServer;
  /** Begins publishing from the current head and listening to the other instances' numbering. */
  start(): Promise<void>;
  /** Ends the live connections of one session (logout) or of every session of a user (deactivation). */
  disconnectSession(sessionId: string): void;
  disconnectUser(userId: string): void;
  /** Ends the connections whose session is over (run every SESSION_CHECK_MS). */
  checkSessions(): Promise<void>;
  /** Pushes new notifications to their users' sockets, on this instance and every other. */
  notify(created: CreatedNotifications): void;
  close(): Promise<void>;
}

export interface RealtimeDeps {
  server: http.Server;
  sessionMiddleware: RequestHandler;
  passport: { session(): RequestHandler };
  db: Db;
  sequencer: Sequencer<SequencedEvent>;
  log: Logger;
  /** With a PostgreSQL server, the adapter lets one instance act on another's sockets (disconnects). */
  pool?: Pool;
  listen: Database['listen'];
  /** Other sites whose pages may open a socket (ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Coordinators, admins and DPOs without a second factor are refused (REQUIRE_SECOND_FACTOR). */
  requireSecondFactor: boolean;
  /** Which of these session ids are still live sessions. */
  liveSessions(sessionIds: string[]): Promise<Set<string>>;
  /** What the board needs from the resources: the changes feed, the loads and how an event is shown. */
  board: {
    sync(actor: Actor, since: number, limit: number): Promise<ChangesPage>;
    loads(regionId: string): Promise<CommuneLoad[]>;
    present(event: SequencedEvent): BoardChange;
    /** Whether the actor may see the task (presence is shown only to those who may). */
    canSee(actor: Actor, taskId: string): Promise<boolean>;
  };
}

/** Past this many packets waiting for one socket, it is cut off; it resyncs when it reconnects. */
const MAX_QUEUED_PACKETS = 1000;
/** How often each instance checks that its sockets' sessions are still live. */
const SESSION_CHECK_MS = 30_000;

export function attachRealtime(deps: RealtimeDeps): Realtime {
  const { board, log } = deps;
  const io: BoardServer = new Server(deps.server, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // A browser page of another site may not open a socket with our cookie. Clients that send no
    // Origin (scripts, tests) are served, as on the REST API.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const forwarded = req.headers['x-forwarded-host'];
      const hosts = [req.headers.host, typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined];
      callback(null, origin === undefined || isOwnOrigin(origin, hosts, deps.allowedOrigins));
    },
  });
  const adapterPool = deps.pool ? poolForAdapter(deps.pool) : undefined;
  if (adapterPool)
    io.adapter(
      createAdapter(adapterPool.pool, { errorHandler: (err) => log.warn({ err }, 'socket.io adapter error') }),
    );

  // The handshake goes through the same session and Passport as the REST API.
  const handshakeOnly =
    (middleware: RequestHandler): RequestHandler =>
    (req, res, next) => {
      const query = (req as unknown as { _query?: { sid?: string } })._query;
      if (query?.sid === undefined) middleware(req, res, next);
      else next();
    };
  io.engine.use(handshakeOnly(deps.sessionMiddleware));
  io.engine.use(handshakeOnly(deps.passport.session()));

  io.use((socket, next) => {
    const req = socket.request as http.IncomingMessage & { user?: Actor; sessionID?: string };
    if (!req.user?.active || !req.sessionID) {
      next(new Error(connectErrors.unauthenticated));
      return;
    }
    if (mustEnrolSecondFactor(req.user, deps.requireSecondFactor)) {
      next(new Error(connectErrors.secondFactorRequired));
      return;
    }
    socket.data.actor = req.user;
    socket.data.sessionId = req.sessionID;
    next();
  });

  const limiter = new RateLimiterMemory({ points: limits.socketEventsPerWindow, duration: limits.socketWindowSeconds });

  io.on('connection', (socket: BoardSocket) => {
    corkEachSend(socket);
    const { actor, sessionId } = socket.data;
    const locale = localeFor(actor, socket.request.headers['accept-language']);
    void socket.join([rooms.user(actor.id), rooms.session(sessionId)]);
    if (isRegionMember(actor))
      void socket.join([rooms.region(actor.regionId), rooms.regionRole(actor.regionId, actor.role)]);
    if (actor.communeId) void socket.join(rooms.commune(actor.communeId));

    socket.on('task:view', async (request: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const answer = ack as (answer: TaskViewAck) => void;
      try {
        await limiter.consume(socket.id).catch(() => {
          throw new TooManyRequestsError(msg('socket_too_fast'), limits.socketWindowSeconds);
        });
        const parsed = TaskViewRequest.safeParse(request);
        if (!parsed.success)
          throw new ValidationError(
            msg('socket_request_invalid', { event: 'task:view' }),
            zodFieldErrors(parsed.error, request),
          );
        const { taskId } = parsed.data;
        // A task the user may not see is "not found", as on the REST API.
        if (!(await board.canSee(actor, taskId))) throw new NotFoundError('task');
        if (!socket.connected) return;
        if (socket.data.viewing !== taskId) {
          await stopViewing(socket);
          socket.data.viewing = taskId;
          await socket.join(rooms.task(taskId));
        }
        const users = await viewersOf(taskId);
        answer({ ok: true, viewers: { taskId, users } });
        io.to(rooms.task(taskId)).except(socket.id).emit('task:viewers', { taskId, users });
      } catch (err) {
        const problem = problemOf(err, locale);
        if (problem.status >= 500) log.error({ err }, 'task:view failed');
        answer({ ok: false, problem });
      }
    });
    socket.on('task:leave', () => void stopViewing(socket));
    socket.on('disconnect', () => void stopViewing(socket));

    socket.on('board:sync', async (request: unknown, ack: unknown) => {
      // A client may send anything: nothing it sends can crash the server or go unanswered.
      if (typeof ack !== 'function') return;
      const answer = ack as (answer: BoardSyncAck) => void;
      try {
        await limiter.consume(socket.id).catch(() => {
          throw new TooManyRequestsError(msg('socket_too_fast'), limits.socketWindowSeconds);
        });
        const parsed = BoardSyncRequest.safeParse(request);
        if (!parsed.success)
          throw new ValidationError(
            msg('socket_request_invalid', { event: 'board:sync' }),
            zodFieldErrors(parsed.error, request),
          );
        answer({ ok: true, page: await board.sync(actor, parsed.data.since, limits.changesPageMax) });
      } catch (err) {
        const problem = problemOf(err, locale);
        if (problem.status >= 500) log.error({ err }, 'board:sync failed');
        answer({ ok: false, problem });
      }
    });
  });

  // Presence, across instances: the adapter finds the sockets of a task's room wherever they are.
  let closing = false;
  const viewersOf = async (taskId: string): Promise<TaskViewer[]> => {
    const sockets = await io.in(rooms.task(taskId)).fetchSockets();
    const users = new Map<string, TaskViewer>();
    for (const { data } of sockets)
      users.set(data.actor.id, {
        id: data.actor.id,
        displayName: data.actor.displayName,
        communeName: data.actor.communeName,
      });
    return [...users.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  };
  const stopViewing = async (socket: BoardSocket) => {
    const taskId = socket.data.viewing;
    if (taskId === undefined) return;
    socket.data.viewing = undefined;
    await socket.leave(rooms.task(taskId));
    if (closing) return;
    try {
      io.to(rooms.task(taskId)).emit('task:viewers', { taskId, users: await viewersOf(taskId) });
    } catch (err) {
      log.warn({ err }, 'presence update failed');
    }
  };

  const loadUpdates = new LoadUpdates({
    loads: (regionId) => board.loads(regionId),
    watched: (regionId) => (io.of('/').adapter.rooms.get(rooms.region(regionId))?.size ?? 0) > 0,
    send: (regionId, seq, loads) => io.local.to(rooms.region(regionId)).emit('load:updated', { seq, loads }),
    log,
  });

  const publish = (batch: SequencedEvent[]) => {
    const watched = io.of('/').adapter.rooms;
    for (const event of batch) {
      loadUpdates.changed(event.regionId, event.seq);
      // Nobody on this instance watches the region: nothing to build.
      if (!watched.get(rooms.region(event.regionId))?.size) continue;
      const change = board.present(event);
      // Local sockets only: every instance publishes every event itself, in order (BoardPublisher).
      const room = io.local.to(rooms.region(event.regionId));
      if (change.type === 'incident:updated')
        room.emit(change.type, { seq: change.seq, prev: event.regionPrevSeq, incident: change.incident });
      else room.emit(change.type, { seq: change.seq, prev: event.regionPrevSeq, task: change.task });
    }
  };
  // Each user's notifications to the sockets of that user on this instance; the other instances get
  // the whole batch in one adapter message (with the adapter, an emit to a room would cost a
  // database notification per notification, one per claim).
  const notifyLocally = (created: CreatedNotifications) => {
    for (const { userId, notification } of created) {
      io.local.to(rooms.user(userId)).emit('notification:created', { notification });
    }
  };
  if (adapterPool) io.on('notifications:created', notifyLocally);
  const notify = (created: CreatedNotifications) => {
    if (created.length === 0) return;
    notifyLocally(created);
    if (!adapterPool) return;
    // Alone (no other instance's heartbeat heard): nothing to send; what an instance starting that
    // instant misses of the live push is in the reader's inbox all the same.
    const emitIfOthers = (instances: number) => {
      if (instances > 1) io.serverSideEmit('notifications:created', created);
    };
    void io.of('/').adapter.serverCount().then(emitIfOthers);
  };

  const publisher = new BoardPublisher(deps.db, log, publish, () => deps.sequencer.running);
  const unsubscribe = deps.sequencer.onEvents((batch) => publisher.numbered(batch));
  let unlisten: (() => Promise<void>) | undefined;

  // A client that does not read its messages must not make the server hold them forever.
  const slowClients = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      // engine.io keeps the packets a socket has not taken yet in its (undocumented) write buffer.
      const queued = (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
      if (queued > MAX_QUEUED_PACKETS) {
        log.warn({ user: socket.data.actor.username }, 'disconnecting a socket that stopped reading');
        socket.disconnect(true);
      }
    }
  }, 1000);
  slowClients.unref();

  // A socket lives no longer than its session, however the session ended: expired, signed in too
  // long ago, deleted by hand. (Logouts and account changes disconnect at once: disconnectSession/User.)
  const checkSessions = async () => {
    const sockets = [...io.of('/').sockets.values()];
    const live = await deps.liveSessions([...new Set(sockets.map((s) => s.data.sessionId))]);
    for (const socket of sockets) if (!live.has(socket.data.sessionId)) socket.disconnect(true);
  };
  const sessionSweep = setInterval(() => {
    checkSessions().catch((err: unknown) => log.warn({ err }, "checking the sockets' sessions failed"));
  }, SESSION_CHECK_MS);
  sessionSweep.unref();

  return {
    io,
    async start() {
      await publisher.start();
      unlisten = await deps.listen(
        EVENTS_CHANNEL,
        (payload) => publisher.heard(Number(payload)),
        (err) => log.warn({ err }, 'event notifications interrupted'),
      );
    },
    disconnectSession: (sessionId) => io.in(rooms.session(sessionId)).disconnectSockets(true),
    disconnectUser: (userId) => io.in(rooms.user(userId)).disconnectSockets(true),
    checkSessions,
    notify,
    async close() {
      closing = true;
      unsubscribe();
      await unlisten?.();
      await publisher.stop();
      clearInterval(slowClients);
      clearInterval(sessionSweep);
      await loadUpdates.stop();
      // Closing the connections underneath, with no `disconnect` packet, is what clients read as a
      // lost connection: they reconnect (to another instance, through the proxy) and resync from their
      // last sequence number. Socket.IO's own disconnect would read as "signed out" and end their retries.
      io.engine.close();
      await io.of('/').adapter.close();
      adapterPool?.close();
    },
  };
}
