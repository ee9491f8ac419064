/**
 * The readers of bench/board-sockets.ts, in a worker thread of their own: live-board sockets, each
 * signed in with a clerk's session, that read the board as the browser's board does
 * (client/src/realtime/use-board.ts): the counts and the Open column's first page once on connecting;
 * then the cards are placed from the events themselves, and the counts are read again only when
 * events have made them stale and a second passes without another (the board's debounce), and every
 * 30 s (its drift correction). One read at a time per socket.
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
      /** The reads (the first page and counts on connecting, then counts), and how long each took. */
      readMs: number[];
      events: number;
      retried: number;
      failures: string[];
    };

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The browser board's timings (client/src/realtime/use-board.ts). */
const countsEveryMs = 30_000;
const staleCountsAfterMs = 1000;

/** An error's message, with its cause's (fetch names the socket's failure only there). */
const reasonOf = (err: unknown): string =>
  err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);

async function readers(job: ReadersJob, port: MessagePort): Promise<void> {
  const sockets: BoardSocket[] = [];
  const readMs: number[] = [];
  const failures: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let events = 0;
  /** GETs sent again after the server had closed their kept-alive connection. */
  let retried = 0;
  let stopping = false;
  const fail = (what: string) => {
    if (failures.length < 10) failures.push(what);
  };

  const get = async (cookie: string, path: string) => {
    const request = () => fetch(`${job.url}/api/v1${path}`, { headers: { cookie, accept: 'application/json' } });
    // A kept-alive connection the server closed as it was reused: a browser sends such a GET again.
    // The readers' event loop lags behind its 200 sockets' events, so the next connection may be stale too.
    const closed = (err: unknown) =>
      err instanceof Error && err.cause instanceof Error && /other side closed/.test(err.cause.message);
    let res: Response | undefined;
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await request();
      } catch (err) {
        if (!closed(err) || attempt >= 3) throw err;
        retried++;
      }
    }
    const body = await res.text();
    if (res.status !== 200) fail(`${path}: ${res.status} ${body.slice(0, 120)}`);
  };

  const reader = (cookie: string) => {
    const state = { reading: false, again: false };
    const timed = async (read: () => Promise<unknown>) => {
      const started = performance.now();
      await read();
      readMs.push(performance.now() - started);
    };
    // The counts, one read at a time: a call during a read makes one more read after it.
    const readCounts = async () => {
      if (state.reading) {
        state.again = true;
        return;
      }
      state.reading = true;
      try {
        state.again = true;
        while (state.again && !stopping) {
          state.again = false;
          await timed(() => get(cookie, '/tasks/counts?'));
        }
      } catch (err) {
        fail(reasonOf(err));
      } finally {
        state.reading = false;
      }
    };
    const first = () =>
      timed(() => Promise.all([get(cookie, '/tasks?status=open&limit=50'), get(cookie, '/tasks/counts?')]));
    // The drift correction, each socket on its own phase as browsers opened at different moments.
    const every = setTimeout(() => {
      const interval = setInterval(() => void readCounts(), countsEveryMs);
      timers.push(interval);
      void readCounts();
    }, Math.random() * countsEveryMs);
    timers.push(every);
    // The debounce: one timer per socket, pushed back by each event (as the browser's clearTimeout and
    // setTimeout do, without making 200 sockets' worth of timers per event here).
    let debounce: NodeJS.Timeout | undefined;
    const onEvent = () => {
      events++;
      if (debounce) debounce.refresh();
      else {
        debounce = setTimeout(() => void readCounts(), staleCountsAfterMs);
        timers.push(debounce);
      }
    };
    return { first, onEvent };
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
      socket.on('task:created', read.onEvent);
      socket.on('task:updated', read.onEvent);
      socket.once('connect', () => {
        read.first().then(resolve, (err: unknown) => {
          fail(reasonOf(err));
          resolve();
        });
      });
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
    for (const timer of timers) clearTimeout(timer);
    for (const socket of sockets) socket.close();
    const stopped: FromReaders = { type: 'stopped', readMs, events, retried, failures };
    port.postMessage(stopped);
  });
}

function isReadersJob(value: unknown): value is ReadersJob {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'board-readers';
}

if (!isMainThread && parentPort && isReadersJob(workerData)) {
  const port = parentPort;
  readers(workerData, port).catch((err: unknown) => {
    port.postMessage({
      type: 'stopped',
      readMs: [],
      events: 0,
      retried: 0,
      failures: [String(err)],
    } satisfies FromReaders);
  });
}
