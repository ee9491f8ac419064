/**
 * The fan-out benchmark's client side, run in worker threads (see bench/fanout.ts):
 *
 * - a sockets worker holds many socket.io-client connections to the live board, opened in batches,
 *   and notes when each socket receives each claim's `task:updated`;
 * - a claimer worker claims the tasks one at a time over HTTP and notes when each answer arrived.
 *
 * Both threads stamp times with performance.timeOrigin + performance.now(), a clock shared by the
 * threads of one process (the main thread checks it with a ping-pong before the run).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TaskBroadcast } from '../shared/events';
import { request } from './claim-clients';

type BoardClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Milliseconds since the epoch, sub-millisecond, comparable across the threads of this process. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** A full garbage collection when the runtime lets us ask for one (--expose-gc set at run time). */
export function collectGarbage(): boolean {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc !== 'function') return false;
    (gc as () => void)();
    return true;
  } catch {
    return false;
  }
}

export interface ThreadMemory {
  /** This thread's V8 heap. */
  heapUsed: number;
  heapTotal: number;
  /** Memory held outside the V8 heap by this thread's objects (Buffers, ArrayBuffers). */
  external: number;
  arrayBuffers: number;
}

export function threadMemory(): ThreadMemory {
  const h = v8.getHeapStatistics();
  const m = process.memoryUsage();
  return {
    heapUsed: h.used_heap_size,
    heapTotal: h.total_heap_size,
    external: h.external_memory,
    arrayBuffers: m.arrayBuffers,
  };
}

// ---------------------------------------------------------------------------------------------
// Jobs and messages

export interface SocketsJob {
  kind: 'fanout-sockets';
  url: string;
  /** One session cookie per socket this worker opens. */
  cookies: string[];
  /** Sockets opened at once; the next batch waits for this one to connect (or fail). */
  batchSize: number;
  connectTimeoutMs: number;
}

export interface ClaimerJob {
  kind: 'fanout-claimer';
  url: string;
  cookie: string;
  requestTimeoutMs: number;
}

export type FanoutJob = SocketsJob | ClaimerJob;

/** Main thread → worker. */
export type ToWorker =
  | { type: 'clock'; t0: number }
  | { type: 'memory'; gc: boolean }
  | { type: 'connect' }
  /**
   * Wait until every socket has received `created` task:created events (or `timeoutMs`), then watch these
   * tasks' claims.
   */
  | { type: 'expect'; taskIds: string[]; created: number; timeoutMs: number }
  /** Wait until every socket has seen every expected claim (or `graceMs`), then hand the receipts over. */
  | { type: 'collect'; graceMs: number }
  | { type: 'close' }
  | { type: 'claim'; taskIds: string[]; pauseMs: number };

export interface ConnectedMessage {
  type: 'connected';
  /** Per socket: from io() to its 'connect' event; NaN when it did not connect. */
  handshakeMs: Float64Array<ArrayBuffer>;
  failures: number;
  errorSamples: string[];
  durationMs: number;
}

export interface ExpectingMessage {
  type: 'expecting';
  /** task:created events each socket should have had, summed over sockets, minus those it had. */
  createdMissing: number;
  waitedMs: number;
}

export interface ReceiptsMessage {
  type: 'receipts';
  /** receipts[task * sockets + socket]: when that socket got that task's claim (clock()), NaN if never. */
  receipts: Float64Array<ArrayBuffer>;
  sockets: number;
  /** The same claim received twice by one socket. */
  duplicates: number;
  /** Sockets that dropped during the run. */
  disconnects: number;
  /**
   * Task events (task:created and task:updated, since the sockets connected) that came with a seq not
   * above the last one that socket had seen: delivered out of order.
   */
  outOfOrder: OrderCounts;
  /** Task events whose `prev` was not the seq that socket had seen last: a client would see a gap and resync. */
  gaps: OrderCounts;
  /** Task events each socket received, summed. */
  taskEvents: OrderCounts;
  disconnectReasons: string[];
  /** Share of the time between 'expect' and 'collect' this worker's event loop was busy. */
  eventLoopUtilization: number;
  waitedMs: number;
}

/** Counts by event: task:created and task:updated. */
export interface OrderCounts {
  created: number;
  updated: number;
}

export interface ClaimedMessage {
  type: 'claimed';
  status: Uint16Array<ArrayBuffer>;
  /** clock() when each request was sent and when its whole answer had arrived. */
  sentAt: Float64Array<ArrayBuffer>;
  answeredAt: Float64Array<ArrayBuffer>;
  errorSamples: string[];
}

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'clock'; t0: number; t1: number }
  | { type: 'memory'; memory: ThreadMemory; gc: boolean }
  | ConnectedMessage
  | ExpectingMessage
  | ReceiptsMessage
  | ClaimedMessage
  | { type: 'closed' }
  | { type: 'failed'; error: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Sockets worker

function socketsWorker(job: SocketsJob, port: MessagePort): void {
  const count = job.cookies.length;
  const sockets: (BoardClient | undefined)[] = new Array<BoardClient | undefined>(count).fill(undefined);
  const created = new Uint32Array(count);
  const lastSeq = new Float64Array(count);
  const outOfOrder: OrderCounts = { created: 0, updated: 0 };
  const gaps: OrderCounts = { created: 0, updated: 0 };
  const taskEvents: OrderCounts = { created: 0, updated: 0 };
  /**
   * The board's contract: each task event names the region's previous one, so a socket can tell it missed or
   * reordered something.
   */
  const sequence = (s: number, kind: keyof OrderCounts, payload: TaskBroadcast) => {
    taskEvents[kind]++;
    const seen = lastSeq[s] ?? 0;
    if (payload.prev !== seen) gaps[kind]++;
    if (payload.seq <= seen) outOfOrder[kind]++;
    else lastSeq[s] = payload.seq;
  };
  let expected = new Map<string, number>();
  let receipts = new Float64Array(0);
  let duplicates = 0;
  let disconnects = 0;
  const disconnectReasons: string[] = [];
  let closing = false;
  let elu = performance.eventLoopUtilization();

  const onUpdated = (s: number) => (payload: TaskBroadcast) => {
    const at = clock();
    sequence(s, 'updated', payload);
    if (payload.task.status !== 'claimed') return;
    const t = expected.get(payload.task.id);
    if (t === undefined) return;
    const k = t * count + s;
    if (Number.isNaN(receipts[k])) receipts[k] = at;
    else duplicates++;
  };

  const open = (s: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const socket: BoardClient = io(job.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: job.connectTimeoutMs,
        extraHeaders: { cookie: job.cookies[s] ?? '' },
      });
      sockets[s] = socket;
      socket.on('task:created', (payload) => {
        created[s] = (created[s] ?? 0) + 1;
        sequence(s, 'created', payload);
      });
      socket.on('task:updated', onUpdated(s));
      socket.once('connect', () => {
        socket.on('disconnect', (reason) => {
          if (closing) return;
          disconnects++;
          if (disconnectReasons.length < 5) disconnectReasons.push(reason);
        });
        resolve(performance.now() - started);
      });
      socket.once('connect_error', (err) => {
        socket.close();
        sockets[s] = undefined;
        reject(err);
      });
    });

  const connect = async (): Promise<ConnectedMessage> => {
    const handshakeMs = new Float64Array(count).fill(Number.NaN);
    const errorSamples: string[] = [];
    let failures = 0;
    const started = performance.now();
    for (let from = 0; from < count; from += job.batchSize) {
      const batch: Promise<void>[] = [];
      for (let s = from; s < Math.min(count, from + job.batchSize); s++) {
        batch.push(
          open(s).then(
            (ms) => {
              handshakeMs[s] = ms;
            },
            (err: unknown) => {
              failures++;
              if (errorSamples.length < 5) errorSamples.push(err instanceof Error ? err.message : String(err));
            },
          ),
        );
      }
      await Promise.all(batch);
    }
    return { type: 'connected', handshakeMs, failures, errorSamples, durationMs: performance.now() - started };
  };

  const expect = async (taskIds: string[], createdCount: number, timeoutMs: number): Promise<ExpectingMessage> => {
    const started = performance.now();
    const missing = () => {
      let n = 0;
      for (let s = 0; s < count; s++) if (sockets[s]) n += Math.max(0, createdCount - (created[s] ?? 0));
      return n;
    };
    while (missing() > 0 && performance.now() - started < timeoutMs) await sleep(20);
    expected = new Map(taskIds.map((id, t) => [id, t]));
    receipts = new Float64Array(taskIds.length * count).fill(Number.NaN);
    duplicates = 0;
    elu = performance.eventLoopUtilization();
    return { type: 'expecting', createdMissing: missing(), waitedMs: performance.now() - started };
  };

  const collect = async (graceMs: number): Promise<ReceiptsMessage> => {
    const usage = performance.eventLoopUtilization(elu).utilization;
    const started = performance.now();
    const complete = () => {
      for (const v of receipts) if (Number.isNaN(v)) return false;
      return true;
    };
    while (!complete() && performance.now() - started < graceMs) await sleep(20);
    return {
      type: 'receipts',
      receipts,
      sockets: count,
      duplicates,
      disconnects,
      outOfOrder,
      gaps,
      taskEvents,
      disconnectReasons,
      eventLoopUtilization: usage,
      waitedMs: performance.now() - started,
    };
  };

  const close = async (): Promise<void> => {
    closing = true;
    for (const socket of sockets) socket?.close();
    await sleep(100);
  };

  port.on('message', (message: ToWorker) => {
    const fail = (err: unknown) =>
      port.postMessage({
        type: 'failed',
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies FromWorker);
    switch (message.type) {
      case 'clock':
        port.postMessage({ type: 'clock', t0: message.t0, t1: clock() } satisfies FromWorker);
        break;
      case 'memory': {
        const gc = message.gc && collectGarbage();
        port.postMessage({ type: 'memory', memory: threadMemory(), gc } satisfies FromWorker);
        break;
      }
      case 'connect':
        connect().then((m) => port.postMessage(m, [m.handshakeMs.buffer]), fail);
        break;
      case 'expect':
        expect(message.taskIds, message.created, message.timeoutMs).then((m) => port.postMessage(m), fail);
        break;
      case 'collect':
        collect(message.graceMs).then((m) => {
          // The buffer is handed over: the sockets keep running, so give them a fresh one.
          const copy = m.receipts.slice();
          port.postMessage({ ...m, receipts: copy }, [copy.buffer]);
        }, fail);
        break;
      case 'close':
        close().then(() => port.postMessage({ type: 'closed' } satisfies FromWorker), fail);
        break;
      default:
        fail(new Error(`the sockets worker does not take '${message.type}'`));
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

// ---------------------------------------------------------------------------------------------
// Claimer worker

function claimerWorker(job: ClaimerJob, port: MessagePort): void {
  const base = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const claim = async (taskIds: string[], pauseMs: number): Promise<ClaimedMessage> => {
    const status = new Uint16Array(taskIds.length);
    const sentAt = new Float64Array(taskIds.length);
    const answeredAt = new Float64Array(taskIds.length);
    const errorSamples: string[] = [];
    for (let k = 0; k < taskIds.length; k++) {
      if (k > 0 && pauseMs > 0) await sleep(pauseMs);
      sentAt[k] = clock();
      const answer = await request(base, {
        method: 'POST',
        path: `/api/v1/tasks/${taskIds[k] ?? ''}/claim`,
        cookie: job.cookie,
        json: {},
        agent,
        timeoutMs: job.requestTimeoutMs,
      });
      answeredAt[k] = clock();
      status[k] = answer.status;
      if (answer.status !== 200 && errorSamples.length < 5)
        errorSamples.push(`${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`);
    }
    agent.destroy();
    return { type: 'claimed', status, sentAt, answeredAt, errorSamples };
  };

  port.on('message', (message: ToWorker) => {
    const fail = (err: unknown) =>
      port.postMessage({
        type: 'failed',
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies FromWorker);
    switch (message.type) {
      case 'clock':
        port.postMessage({ type: 'clock', t0: message.t0, t1: clock() } satisfies FromWorker);
        break;
      case 'claim':
        claim(message.taskIds, message.pauseMs).then(
          (m) => port.postMessage(m, [m.status.buffer, m.sentAt.buffer, m.answeredAt.buffer]),
          fail,
        );
        break;
      default:
        fail(new Error(`the claimer worker does not take '${message.type}'`));
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

function isFanoutJob(value: unknown): value is FanoutJob {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'fanout-sockets' || kind === 'fanout-claimer';
}

// Worker entry.
if (!isMainThread && parentPort && isFanoutJob(workerData)) {
  if (workerData.kind === 'fanout-sockets') socketsWorker(workerData, parentPort);
  else claimerWorker(workerData, parentPort);
}
