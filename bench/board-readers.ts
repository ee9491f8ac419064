/**
 * The readers of bench/board-sockets.ts, in a worker thread of their own: live-board sockets, each
 * signed in with a clerk's session, that read the board as the browser's board does
 * (client/src/realtime/use-board.ts): the counts and the Open column's first page once on connecting;
 * then the cards are placed from the events themselves, and the counts are read again only when
 * events have made them stale and a second passes without another (the board's debounce), and every
 * 30 s on the clock's half-minutes (its drift correction). One read at a time per socket.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import WebSocket from 'ws';
import { onTheClock } from '../client/src/realtime/on-the-clock';
import { startProfiler } from './app-probes';

export interface ReadersJob {
  kind: 'board-readers';
  url: string;
  /** Clerk sessions; socket s uses cookies[s % cookies.length]. */
  cookies: string[];
  sockets: number;
  connectBatch: number;
  connectTimeoutMs: number;
  /** At the stop, how long to wait for every socket to have the events it expects. */
  drainTimeoutMs: number;
}

/** The main thread's one message: stop, once each socket has received `expected` task events. */
export interface ReadersStop {
  expected: number;
}

export type FromReaders =
  | { type: 'connected'; connected: number; failures: string[] }
  | {
      type: 'stopped';
      /** The reads (the first page and counts on connecting, then counts), and how long each took. */
      readMs: number[];
      events: number;
      /** The fewest and the most task events one connected socket received. */
      perSocket: { fewest: number; most: number };
      /** How long the sockets took, after the stop, to receive the events they were told to expect. */
      drainMs: number;
      retried: number;
      failures: string[];
    };

/**
 * A live-board socket as the server sees a browser's: a WebSocket that speaks Engine.IO 4 and joins
 * Socket.IO's main namespace, answers the server's pings, and receives every event the server pushes
 * to it. It stands for a browser on its own device, so it does not decode the cards: it tells a task
 * event by its first bytes. (socket.io-client's decoding of 200 sockets' cards, on this machine's two
 * cores, took more CPU than the server's whole claim path; a browser spends it on its own device.)
 */
interface BoardSocket {
  readonly connected: boolean;
  close(): void;
}

const taskEventPrefixes = ['42["task:created",', '42["task:updated",'].map((p) => Buffer.from(p));
const startsWith = (data: Buffer, prefix: Buffer) =>
  data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

function boardSocket(
  url: string,
  cookie: string,
  timeoutMs: number,
  on: { onConnect(): void; onConnectError(message: string): void; onTaskEvent(): void },
): BoardSocket {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    headers: { cookie },
    perMessageDeflate: false,
  });
  let state: 'connecting' | 'connected' | 'closed' = 'connecting';
  const connectError = (message: string) => {
    if (state !== 'connecting') return;
    state = 'closed';
    clearTimeout(timer);
    on.onConnectError(message);
    ws.terminate();
  };
  const timer = setTimeout(() => connectError('timeout'), timeoutMs);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const type = data[0];
    if (type === 0x34 /* 4: a Socket.IO packet */) {
      const packet = data[1];
      if (packet === 0x32 /* 2: an event */) {
        if (taskEventPrefixes.some((prefix) => startsWith(data, prefix))) on.onTaskEvent();
      } else if (packet === 0x30 /* 0: connected to the namespace */ && state === 'connecting') {
        state = 'connected';
        clearTimeout(timer);
        on.onConnect();
      } else if (packet === 0x34 /* 4: refused */) connectError(data.subarray(2).toString());
    } else if (type === 0x32 /* 2: ping */) ws.send('3');
    else if (type === 0x30 /* 0: the Engine.IO handshake */) ws.send('40');
  });
  ws.on('error', (err) => connectError(err.message));
  ws.on('close', () => {
    connectError('closed');
    state = 'closed';
  });
  return {
    get connected() {
      return state === 'connected';
    },
    close() {
      state = 'closed';
      clearTimeout(timer);
      ws.close();
    },
  };
}

/** The browser board's timings (client/src/realtime/use-board.ts), and its clock for the drift correction. */
const countsEveryMs = 30_000;
const staleCountsAfterMs = 1000;

/** An error's message, with its cause's if it has one. */
const reasonOf = (err: unknown): string =>
  err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);

async function readers(job: ReadersJob, port: MessagePort): Promise<void> {
  const sockets: { socket: BoardSocket; received: () => number }[] = [];
  const readMs: number[] = [];
  const failures: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  const cancels: (() => void)[] = [];
  const agents: http.Agent[] = [];
  let events = 0;
  /** GETs sent again after the server had closed their kept-alive connection. */
  let retried = 0;
  let stopping = false;
  const fail = (what: string) => {
    if (failures.length < 10) failures.push(what);
  };

  /**
   * One GET, on the reader's own connections (`agent`), as each browser has its own: readers sharing one
   * pool would queue behind each other's reads, which 200 browsers do not.
   */
  const get = async (agent: http.Agent, cookie: string, path: string) => {
    const request = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get(
          `${job.url}/api/v1${path}`,
          { agent, headers: { cookie, accept: 'application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
            res.on('error', reject);
          },
        );
        req.on('error', (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
      });
    // A kept-alive connection the server closed as it was reused: a browser sends such a GET again.
    const closed = (err: unknown) =>
      err instanceof Error &&
      (err as { reused?: boolean }).reused === true &&
      /ECONNRESET|EPIPE|socket hang up/.test(err.message);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request();
        if (res.status !== 200) fail(`${path}: ${res.status} ${res.body.slice(0, 120)}`);
        return;
      } catch (err) {
        if (!closed(err) || attempt >= 3) throw err;
        retried++;
      }
    }
  };

  const reader = (cookie: string) => {
    // A browser's connections to one host: at most six, kept alive between reads.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    agents.push(agent);
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
          await timed(() => get(agent, cookie, '/tasks/counts?'));
        }
      } catch (err) {
        fail(reasonOf(err));
      } finally {
        state.reading = false;
      }
    };
    const first = () =>
      timed(() =>
        Promise.all([get(agent, cookie, '/tasks?status=open&limit=50'), get(agent, cookie, '/tasks/counts?')]),
      );
    // The drift correction, at the clock's multiples of 30 s as in the browser: the sockets read together.
    cancels.push(onTheClock(() => void readCounts(), countsEveryMs));
    // The debounce: one timer per socket, pushed back by each event (as the browser's clearTimeout and
    // setTimeout do, without making 200 sockets' worth of timers per event here).
    let debounce: NodeJS.Timeout | undefined;
    let received = 0;
    const onEvent = () => {
      events++;
      received++;
      if (debounce) debounce.refresh();
      else {
        debounce = setTimeout(() => void readCounts(), staleCountsAfterMs);
        timers.push(debounce);
      }
    };
    return { first, onEvent, received: () => received };
  };

  const open = (s: number) =>
    new Promise<void>((resolve) => {
      const cookie = job.cookies[s % job.cookies.length] ?? '';
      const read = reader(cookie);
      const socket = boardSocket(job.url, cookie, job.connectTimeoutMs, {
        onConnect: () => {
          read.first().then(resolve, (err: unknown) => {
            fail(reasonOf(err));
            resolve();
          });
        },
        onConnectError: (message) => {
          fail(`socket ${s}: ${message}`);
          resolve();
        },
        onTaskEvent: read.onEvent,
      });
      sockets.push({ socket, received: read.received });
    });

  for (let s = 0; s < job.sockets; s += job.connectBatch) {
    await Promise.all(Array.from({ length: Math.min(job.connectBatch, job.sockets - s) }, (_, i) => open(s + i)));
  }
  // The sockets that connected: each must receive every event of the phase, even one that the server
  // cuts off meanwhile (it then falls short, and the run says so).
  const live = sockets.filter(({ socket }) => socket.connected);
  const message: FromReaders = {
    type: 'connected',
    connected: live.length,
    failures: [...failures],
  };
  port.postMessage(message);
  const profiler = process.env.BENCH_READERS_PROFILE ? await startProfiler() : undefined;

  // The one message the main thread sends: stop, once each socket has the task events it expects (the
  // claims of the phase it watched) or `drainTimeoutMs` has passed.
  const stop = async ({ expected }: ReadersStop) => {
    const stopAt = performance.now();
    const fewest = () => Math.min(...live.map(({ received }) => received()));
    while (live.length > 0 && fewest() < expected && performance.now() - stopAt < job.drainTimeoutMs)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const drainMs = performance.now() - stopAt;
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    for (const cancel of cancels) cancel();
    for (const agent of agents) agent.destroy();
    for (const { socket } of sockets) socket.close();
    if (profiler) await profiler.stopInto(process.env.BENCH_READERS_PROFILE as string);
    const counts = live.map(({ received }) => received());
    const perSocket = {
      fewest: counts.length ? Math.min(...counts) : 0,
      most: counts.length ? Math.max(...counts) : 0,
    };
    if (perSocket.fewest < expected)
      fail(`a socket received ${perSocket.fewest} of the ${expected} task events within ${job.drainTimeoutMs} ms`);
    const stopped: FromReaders = { type: 'stopped', readMs, events, perSocket, drainMs, retried, failures };
    port.postMessage(stopped);
  };
  port.once('message', (message: ReadersStop) => void stop(message));
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
      perSocket: { fewest: 0, most: 0 },
      drainMs: 0,
      retried: 0,
      failures: [String(err)],
    } satisfies FromReaders);
  });
}
