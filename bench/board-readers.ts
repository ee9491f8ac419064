/**
 * The readers of bench/board-sockets.ts, in a worker thread of their own: live-board sockets, each
 * signed in with a clerk's session, that re-read the board's first page and its counts whenever an
 * event comes, as the browser's board does (one read at a time per socket: events that come while
 * a read is under way make one more read after it, not one each).
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events';

export interface ReadersJob {
  kind: 'board-readers';
  url: string;
  /** Clerk sessions; socket s uses cookies[s % cookies.length]. */
  cookies: string[];
  sockets: number;
  connectBatch: number;
  connectTimeoutMs: number;
}

export type FromReaders =
  | { type: 'connected'; connected: number; failures: string[] }
  | {
      type: 'stopped';
      /** Page + counts pairs read, and how long each pair took (both answered). */
      readMs: number[];
      events: number;
      failures: string[];
    };

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function readers(job: ReadersJob, port: MessagePort): Promise<void> {
  const sockets: BoardSocket[] = [];
  const readMs: number[] = [];
  const failures: string[] = [];
  let events = 0;
  let stopping = false;
  const fail = (what: string) => {
    if (failures.length < 10) failures.push(what);
  };

  const get = async (cookie: string, path: string) => {
    const res = await fetch(`${job.url}/api/v1${path}`, { headers: { cookie, accept: 'application/json' } });
    const body = await res.text();
    if (res.status !== 200) fail(`${path}: ${res.status} ${body.slice(0, 120)}`);
  };

  const reader = (cookie: string) => {
    // Set by the events that come while a read is under way: one more read once it is over.
    const state = { reading: false, again: false };
    const readOnce = async () => {
      const started = performance.now();
      await Promise.all([get(cookie, '/tasks?status=open&limit=50'), get(cookie, '/tasks/counts?')]);
      readMs.push(performance.now() - started);
    };
    return async () => {
      events++;
      if (state.reading) {
        state.again = true;
        return;
      }
      state.reading = true;
      try {
        state.again = true;
        while (state.again && !stopping) {
          state.again = false;
          await readOnce();
        }
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      } finally {
        state.reading = false;
      }
    };
  };

  const open = (s: number) =>
    new Promise<void>((resolve) => {
      const cookie = job.cookies[s % job.cookies.length] ?? '';
      const socket: BoardSocket = io(job.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: job.connectTimeoutMs,
        extraHeaders: { cookie },
      });
      sockets.push(socket);
      const read = reader(cookie);
      socket.on('task:created', () => void read());
      socket.on('task:updated', () => void read());
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => {
        fail(`socket ${s}: ${err.message}`);
        resolve();
      });
    });

  for (let s = 0; s < job.sockets; s += job.connectBatch) {
    await Promise.all(Array.from({ length: Math.min(job.connectBatch, job.sockets - s) }, (_, i) => open(s + i)));
  }
  const message: FromReaders = {
    type: 'connected',
    connected: sockets.filter((socket) => socket.connected).length,
    failures: [...failures],
  };
  port.postMessage(message);

  // The one message the main thread sends: stop.
  port.once('message', () => {
    stopping = true;
    for (const socket of sockets) socket.close();
    const stopped: FromReaders = { type: 'stopped', readMs, events, failures };
    port.postMessage(stopped);
  });
}

function isReadersJob(value: unknown): value is ReadersJob {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'board-readers';
}

if (!isMainThread && parentPort && isReadersJob(workerData)) {
  const port = parentPort;
  readers(workerData, port).catch((err: unknown) => {
    port.postMessage({ type: 'stopped', readMs: [], events: 0, failures: [String(err)] } satisfies FromReaders);
  });
}
