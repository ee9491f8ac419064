/**
 * Fan-out benchmark: many live-board sockets on one instance, one claim at a time; how long after the
 * claim's HTTP answer does the last socket get its `task:updated`?
 *
 *   npm run bench            (runs bench/claims.ts, then this)
 *   npx tsx bench/fanout.ts  (this one alone)
 *
 * One app instance runs in this process (the main thread) on a fresh PostgreSQL database, or on
 * PGlite when PostgreSQL does not answer. The sockets live in worker threads and the claimer in
 * another, so that neither shares the server's event loop. Every socket joins the same region.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL        admin connection to PostgreSQL (default postgres://postgres@127.0.0.1:5432/postgres);
 *                             a fresh database entraide_fanout_<random> is created there and dropped at the end
 *   BENCH_SOCKETS             live-board sockets (default 1000)
 *   BENCH_SOCKET_WORKERS      worker threads holding the sockets (default 1)
 *   BENCH_CONNECT_BATCH       sockets opened at once while connecting (default 50)
 *   BENCH_CLERKS              clerks (each in a commune of its own) whose sessions the sockets share (default 10)
 *   BENCH_FANOUT_CLAIMS       measured claims (default 200)
 *   BENCH_FANOUT_WARMUP       claims made first, unmeasured (default 20; 0 measures the cold start too)
 *   BENCH_FANOUT_PAUSE_MS     pause between two claims (default 20)
 *   BENCH_FANOUT_TIMEOUT_S    the whole run is abandoned after this (default 180)
 *
 * Writes bench/results/fanout.json and bench/results/fanout.md. Exits 1 when a socket missed an
 * event (or never connected, or a claim failed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Running } from '../server/server';
import {
  abandon as abandonRun, benchConfig, benchPasswordHash, benchRegion, cleanUp, createBenchDatabase, exitOnError, exitWith, intEnv,
  latency, log, login, machine, makeDataDir, message, postgresAnswers, postTasks, resultsDir, safeAdminUrl, startApp, startWorker,
  type Driver, type Latency, type Machine,
} from './bench-support';
import {
  clock, collectGarbage, threadMemory,
  type ClaimerJob, type FanoutJob, type FromWorker, type OrderCounts, type SocketsJob, type ToWorker,
} from './fanout-clients';

const settings = {
  sockets: intEnv('BENCH_SOCKETS', 1000),
  socketWorkers: intEnv('BENCH_SOCKET_WORKERS', 1),
  connectBatch: intEnv('BENCH_CONNECT_BATCH', 50),
  clerks: intEnv('BENCH_CLERKS', 10),
  claims: intEnv('BENCH_FANOUT_CLAIMS', 200),
  warmup: intEnv('BENCH_FANOUT_WARMUP', 20, 0),
  pauseMs: intEnv('BENCH_FANOUT_PAUSE_MS', 20, 0),
  timeoutS: intEnv('BENCH_FANOUT_TIMEOUT_S', 180),
};

const GOAL = { p99Ms: 150 };
const GOAL_LINE = `goal: p99 of "last socket" latency < ${GOAL.p99Ms} ms with ${settings.sockets} sockets on one instance`;
const MB = 1024 * 1024;

interface MemorySnapshot {
  label: string;
  /** Resident set of the whole process: the server, and the worker threads holding the sockets. */
  rssBytes: number;
  /** The main thread's V8 heap: the app (and this benchmark's small orchestration), not the workers. */
  serverHeapUsedBytes: number;
  serverHeapTotalBytes: number;
  /** Buffers and ArrayBuffers held by the main thread's objects. */
  serverExternalBytes: number;
  /** The socket workers' V8 heaps (socket.io-client objects), summed: used, and reserved. */
  workersHeapUsedBytes: number;
  workersHeapTotalBytes: number;
  workersExternalBytes: number;
  /** Whether a full garbage collection ran in every thread just before. */
  afterFullGc: boolean;
}

interface FanoutResult extends Machine {
  driver: Driver;
  postgresVersion?: string;
  notes: string[];
  sockets: {
    requested: number;
    connected: number;
    failures: number;
    errorSamples: string[];
    workers: number;
    batchSize: number;
    clerks: number;
    connectSeconds: number;
    connectsPerSecond: number;
    handshakeMs: Latency;
    serverEventLoopUtilizationWhileConnecting: number;
  };
  claims: {
    measured: number;
    warmup: number;
    pauseMs: number;
    failed: number;
    errorSamples: string[];
    durationS: number;
    /** The claim requests themselves, as the claimer saw them. */
    requestMs: Latency;
  };
  /** Over the measured claims; relative to the time the claimer had the whole HTTP answer. */
  latencyMs: {
    lastSocket: Latency;
    medianSocket: Latency;
    firstSocket: Latency;
    /** Last socket minus first socket. */
    spread: Latency;
  };
  /** Where the time goes, over the measured claims (server-side marks from timeFanouts and a sequencer listener). */
  breakdownMs: {
    /**
     * From the sequencer's listeners being told of the claim (a listener this benchmark adds after the
     * board's) to the local fan-out beginning. Negative: the board wrote to the sockets inside its own
     * listener; positive: it published later (e.g. after reading the event back, or after an adapter's
     * round trip).
     */
    handedToFanoutStart: Latency;
    /** Local fan-out beginning minus the claimer having the HTTP answer (positive: the answer came first). */
    responseToFanoutStart: Latency;
    /** The server writing the frame to every socket of the region. */
    fanout: Latency;
    /** Local fan-out done → last socket's receipt: kernel, and the client side decoding every frame. */
    fanoutEndToLastSocket: Latency;
  };
  /** The server's time in one local fan-out (every socket of the region), by event, from the bulk post to the last claim. */
  serverFanoutMs: Record<string, Latency & { count: number }>;
  /** Measured claims whose local fan-out began after the claimer already had the HTTP answer. */
  fanoutAfterResponse: number;
  /** Measured claims whose last socket had the event before the claimer had the HTTP answer. */
  lastSocketBeforeResponse: number;
  missed: {
    /** (socket, claim) pairs without a receipt, over the connected sockets and every claim (warm-up too). */
    events: number;
    sockets: number;
    claims: number;
    /** task:created events a socket had not received when the claims began. */
    createdEvents: number;
    duplicates: number;
    disconnects: number;
    disconnectReasons: string[];
  };
  /** The board's sequence, checked by every socket on every task event (task:created and task:updated). */
  order: {
    taskEvents: OrderCounts;
    /** Events that arrived with a seq not above the last one the socket had: delivered out of order. */
    outOfOrder: OrderCounts;
    /** Events whose `prev` was not the last seq the socket had: a client would see a gap and resync. */
    gaps: OrderCounts;
  };
  memory: {
    snapshots: MemorySnapshot[];
    /**
     * Peak of what the server held in userland for its sockets, not yet written to the kernel (ws's
     * bufferedAmount summed over the sockets, and engine.io packets still queued), sampled every 5 ms
     * on the server's thread (so a peak inside one synchronous fan-out is seen only once it yields):
     * during the bulk post and its task:created burst, and during the claims.
     */
    serverQueuedPeak: { bulkPost: Queued; claims: Queued };
    /** (connected − before) / connected sockets. */
    serverHeapPerSocketBytes: number;
    /** Whole-process RSS growth per socket; includes the client side in the workers. */
    rssPerSocketBytes: number;
    /** RSS growth minus the workers' heap and external growth, per socket: a rough server-side figure. */
    rssPerSocketServerEstimateBytes: number;
  };
  eventLoop: {
    /** Share of the claim phase the server's (main thread's) event loop was busy. */
    serverUtilization: number;
    serverDelayP99Ms: number;
    serverDelayMaxMs: number;
    /** Per sockets worker, over the claim phase. */
    socketWorkersUtilization: number[];
  };
  /**
   * CPU over the claim phase, in cores (1 = one core fully busy): the whole machine (from os.cpus()),
   * this process (the server and the client workers, from process.cpuUsage()), and the rest, which
   * includes PostgreSQL and anything else running. A loaded machine skews every figure above.
   */
  cpu: { loadAverage1mAtStart: number; machineCores: number; thisProcessCores: number; otherProcessesCores: number };
  /** Offset of each worker's clock from the main thread's, estimated by ping-pong (best of 30), and that round trip. */
  clock: { offsetsMs: number[]; roundTripMs: number[] };
  goal: { line: string; p99Ms: number; pass: boolean };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// ---------------------------------------------------------------------------------------------
// Worker threads

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

interface Waiter {
  type: FromWorker['type'];
  resolve: (m: FromWorker) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** A worker running bench/fanout-clients.ts, asked one thing at a time. */
class WorkerLink {
  readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(readonly name: string, job: FanoutJob) {
    this.worker = startWorker('fanout-clients.ts', job);
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'failed') {
        this.fail(new Error(`${this.name} failed: ${m.error}`));
        return;
      }
      const i = this.waiters.findIndex((w) => w.type === m.type);
      const waiter = i >= 0 ? this.waiters.splice(i, 1)[0] : undefined;
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(m);
      } else {
        this.inbox.push(m);
      }
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`${this.name} exited (${code})`));
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /** Sends `message` (if any) and waits for the worker's `type` answer. */
  ask<T extends FromWorker['type']>(message: ToWorker | undefined, type: T, timeoutMs: number): Promise<Reply<T>> {
    return new Promise<Reply<T>>((resolve, reject) => {
      const i = this.inbox.findIndex((m) => m.type === type);
      const queued = i >= 0 ? this.inbox.splice(i, 1)[0] : undefined;
      if (queued) {
        resolve(queued as Reply<T>);
      } else if (this.failure) {
        reject(this.failure);
        return;
      } else {
        const timer = setTimeout(() => {
          const k = this.waiters.findIndex((w) => w.timer === timer);
          if (k >= 0) this.waiters.splice(k, 1);
          reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiters.push({ type, resolve: (m) => resolve(m as Reply<T>), reject, timer });
      }
      if (message) this.worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }
}

/** The worker's clock minus ours, from the ping-pong with the shortest round trip. */
async function clockOffset(link: WorkerLink): Promise<{ offsetMs: number; roundTripMs: number }> {
  let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const t0 = clock();
    const { t1 } = await link.ask({ type: 'clock', t0 }, 'clock', 5_000);
    const t2 = clock();
    if (t2 - t0 < best.roundTripMs) best = { offsetMs: t1 - (t0 + t2) / 2, roundTripMs: t2 - t0 };
  }
  return { offsetMs: Math.round(best.offsetMs * 1000) / 1000, roundTripMs: Math.round(best.roundTripMs * 1000) / 1000 };
}

async function memorySnapshot(label: string, links: WorkerLink[]): Promise<MemorySnapshot> {
  const workers = await Promise.all(links.map((l) => l.ask({ type: 'memory', gc: true }, 'memory', 10_000)));
  const gc = collectGarbage();
  const main = threadMemory();
  return {
    label,
    rssBytes: process.memoryUsage().rss,
    serverHeapUsedBytes: main.heapUsed,
    serverHeapTotalBytes: main.heapTotal,
    serverExternalBytes: main.external,
    workersHeapUsedBytes: workers.reduce((n, w) => n + w.memory.heapUsed, 0),
    workersHeapTotalBytes: workers.reduce((n, w) => n + w.memory.heapTotal, 0),
    workersExternalBytes: workers.reduce((n, w) => n + w.memory.external, 0),
    afterFullGc: gc && workers.every((w) => w.gc),
  };
}

/** One local fan-out: the in-memory adapter writing one packet to every socket of its rooms. */
interface Fanout {
  event: string;
  /** For task events: the task and its status. */
  taskId?: string;
  status?: string;
  startedAt: number;
  endedAt: number;
}

/**
 * Times the server's local fan-outs. Whatever adapter the app uses (the PostgreSQL adapter on
 * PostgreSQL, the in-memory one on PGlite), the frames reach this instance's sockets through the
 * in-memory base adapter's `broadcast`, which encodes the packet once and writes it to every socket of
 * the rooms before returning (engine.io hands each socket's pre-encoded frame to ws synchronously).
 * This wraps that method on its prototype, found by walking up from the running adapter, and records
 * when each call began and ended. Instrumentation from the outside, like bench/claims.ts counting
 * statements on pg's Client; `restore()` puts the original back.
 */
function timeFanouts(adapter: object): { fanouts: Fanout[]; restore: () => void } {
  const fanouts: Fanout[] = [];
  let base: object | undefined;
  for (let proto: unknown = Object.getPrototypeOf(adapter); typeof proto === 'object' && proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'broadcast')) base = proto;
  }
  const original: unknown = base ? Reflect.get(base, 'broadcast') : undefined;
  if (!base || typeof original !== 'function') return { fanouts, restore: () => undefined };
  const owner = base;
  const call = original as (...args: unknown[]) => unknown;
  Reflect.set(owner, 'broadcast', function broadcast(this: unknown, ...args: unknown[]): unknown {
    const startedAt = clock();
    const result = Reflect.apply(call, this, args);
    const endedAt = clock();
    const data = (args[0] as { data?: unknown } | undefined)?.data;
    const [event, payload] = Array.isArray(data) ? (data as unknown[]) : [];
    const task = (payload as { task?: { id?: unknown; status?: unknown } } | undefined)?.task;
    fanouts.push({
      event: typeof event === 'string' ? event : 'unknown',
      ...(typeof task?.id === 'string' ? { taskId: task.id } : {}),
      ...(typeof task?.status === 'string' ? { status: task.status } : {}),
      startedAt,
      endedAt,
    });
    return result;
  });
  return { fanouts, restore: () => Reflect.set(owner, 'broadcast', original) };
}

/** What the server holds for its sockets, not yet handed to the kernel: ws's bufferedAmount, and engine.io's queued packets. */
interface Queued {
  bytes: number;
  packets: number;
}

function queuedOnServer(io: Running['realtime']['io']): Queued {
  let bytes = 0;
  let packets = 0;
  for (const socket of io.of('/').sockets.values()) {
    const conn = socket.conn as unknown as { writeBuffer?: unknown[]; transport?: { socket?: { bufferedAmount?: unknown } } };
    const amount = conn.transport?.socket?.bufferedAmount;
    if (typeof amount === 'number') bytes += amount;
    packets += conn.writeBuffer?.length ?? 0;
  }
  return { bytes, packets };
}

/** Samples queuedOnServer every few milliseconds and keeps the peak, until stopped. */
function watchQueues(io: Running['realtime']['io']): () => Queued {
  const peak: Queued = { bytes: 0, packets: 0 };
  const sample = () => {
    const q = queuedOnServer(io);
    peak.bytes = Math.max(peak.bytes, q.bytes);
    peak.packets = Math.max(peak.packets, q.packets);
  };
  const timer = setInterval(sample, 5);
  return () => {
    clearInterval(timer);
    sample();
    return { ...peak };
  };
}

interface CpuSample {
  busyMs: number;
  totalMs: number;
  ownMicros: number;
  at: number;
}

function cpuSample(): CpuSample {
  let busyMs = 0;
  let totalMs = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    totalMs += all;
    busyMs += all - times.idle;
  }
  const own = process.cpuUsage();
  return { busyMs, totalMs, ownMicros: own.user + own.system, at: performance.now() };
}

function cpuSince(start: CpuSample, loadAverage: number): FanoutResult['cpu'] {
  const end = cpuSample();
  const wallMs = end.at - start.at || 1;
  const share = (end.busyMs - start.busyMs) / ((end.totalMs - start.totalMs) || 1);
  const machine = share * os.cpus().length;
  const own = (end.ownMicros - start.ownMicros) / 1000 / wallMs;
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return { loadAverage1mAtStart: round2(loadAverage), machineCores: round2(machine), thisProcessCores: round2(own), otherProcessesCores: round2(Math.max(0, machine - own)) };
}

function sumCounts(list: OrderCounts[]): OrderCounts {
  return list.reduce((a, c) => ({ created: a.created + c.created, updated: a.updated + c.updated }), { created: 0, updated: 0 });
}

const counts = (c: OrderCounts) => `${c.created + c.updated} (task:created ${c.created}, task:updated ${c.updated})`;

function fanoutsByEvent(fanouts: Fanout[]): Record<string, Latency & { count: number }> {
  const by = new Map<string, number[]>();
  for (const f of fanouts) {
    const list = by.get(f.event) ?? [];
    list.push(f.endedAt - f.startedAt);
    by.set(f.event, list);
  }
  return Object.fromEntries([...by].map(([event, list]) => [event, { ...latency(list), count: list.length }]));
}

// ---------------------------------------------------------------------------------------------
// The run

async function run(): Promise<FanoutResult> {
  const notes: string[] = [];
  const loadAverage = os.loadavg()[0] ?? 0;
  const problem = await postgresAnswers();
  let driver: Driver = 'postgres';
  if (problem) {
    const note = `PostgreSQL at ${safeAdminUrl()} does not answer (${problem}): running on PGlite instead, which runs the database on the server's own thread.`;
    log(note);
    notes.push(note);
    driver = 'pglite';
  }

  const dataDir = makeDataDir('entraide-fanout-');
  const database = driver === 'postgres' ? await createBenchDatabase('entraide_fanout_') : undefined;
  if (database) log(`database ${database.name} on PostgreSQL ${database.version}`);

  let running: Running | undefined;
  const links: WorkerLink[] = [];
  try {
    const config = benchConfig({ dataDir, databaseUrl: database?.url });
    running = await startApp(config);
    const app = running;
    const { db } = app.database;
    const base = new URL(app.url);
    log(`app listening at ${app.url} (${app.database.driver}${driver === 'postgres' ? `, pool ${config.databasePoolSize}` : ''})`);

    // One region: the requesting commune, the watching clerks' communes, and the claimer's.
    const { commune, user: addUser } = await benchRegion(db, 'Fan-out region');
    const passwordHash = await benchPasswordHash();
    const user = (username: string, role: 'manager' | 'clerk', communeId: string) => addUser(username, role, communeId, passwordHash);
    const requesting = await commune('FAN0', 'Fan-out requesting commune', 0);
    const manager = await user('fanout.manager', 'manager', requesting.id);
    const watchers: string[] = [];
    for (let i = 1; i <= settings.clerks; i++) {
      const c = await commune(`FAN${i}`, `Fan-out watching commune ${i}`, i);
      watchers.push((await user(`fanout.clerk${i}`, 'clerk', c.id)).username);
    }
    const claimerCommune = await commune('FANC', 'Fan-out claiming commune', settings.clerks + 1);
    const claimer = await user('fanout.claimer', 'clerk', claimerCommune.id);

    const managerCookie = await login(base, manager.username, 10_000);
    const claimerCookie = await login(base, claimer.username, 10_000);
    const clerkCookies: string[] = [];
    for (const name of watchers) clerkCookies.push(await login(base, name, 10_000));

    // The workers: sockets spread round-robin over the workers, sessions round-robin over the sockets.
    const workerCount = Math.min(settings.socketWorkers, settings.sockets);
    for (let w = 0; w < workerCount; w++) {
      const cookies: string[] = [];
      for (let s = w; s < settings.sockets; s += workerCount) cookies.push(clerkCookies[s % clerkCookies.length] ?? '');
      const job: SocketsJob = { kind: 'fanout-sockets', url: app.url, cookies, batchSize: settings.connectBatch, connectTimeoutMs: 20_000 };
      links.push(new WorkerLink(`sockets worker ${w + 1}`, job));
    }
    const claimerJob: ClaimerJob = { kind: 'fanout-claimer', url: app.url, cookie: claimerCookie, requestTimeoutMs: 10_000 };
    const claimerLink = new WorkerLink('claimer worker', claimerJob);
    const all = [...links, claimerLink];
    await Promise.all(all.map((l) => l.ask(undefined, 'ready', 30_000)));
    const offsets: { offsetMs: number; roundTripMs: number }[] = [];
    for (const l of all) offsets.push(await clockOffset(l));
    log(`workers ready: ${links.length} sockets worker(s) and a claimer; clock offsets ${offsets.map((o) => `${o.offsetMs} ms (round trip ${o.roundTripMs} ms)`).join(', ')}`);

    const snapshots: MemorySnapshot[] = [];
    const snap = async (label: string) => {
      const s = await memorySnapshot(label, links);
      snapshots.push(s);
      log(`memory ${label}: RSS ${mb(s.rssBytes)}, server heap used ${mb(s.serverHeapUsedBytes)} (total ${mb(s.serverHeapTotalBytes)}), socket workers' heap used ${mb(s.workersHeapUsedBytes)} (total ${mb(s.workersHeapTotalBytes)})`);
      return s;
    };
    const before = await snap('before connecting');

    // Connect, in batches.
    log(`connecting ${settings.sockets} sockets in batches of ${settings.connectBatch}...`);
    const connectElu = performance.eventLoopUtilization();
    const connected = await Promise.all(links.map((l) => l.ask({ type: 'connect' }, 'connected', 90_000)));
    const connectUtilization = performance.eventLoopUtilization(connectElu).utilization;
    const connectMs = Math.max(...connected.map((c) => c.durationMs));
    const handshakes: number[] = [];
    const isConnected: boolean[][] = connected.map((c) => Array.from(c.handshakeMs, (ms) => !Number.isNaN(ms)));
    for (const c of connected) for (const ms of c.handshakeMs) if (!Number.isNaN(ms)) handshakes.push(ms);
    const failures = connected.reduce((n, c) => n + c.failures, 0);
    const connectErrors = connected.flatMap((c) => c.errorSamples).slice(0, 5);
    log(`  ${handshakes.length} connected in ${(connectMs / 1000).toFixed(1)} s, ${failures} failed${connectErrors.length > 0 ? ` (${connectErrors.join('; ')})` : ''}`);
    await sleep(1000);
    const withSockets = await snap(`with ${handshakes.length} sockets connected`);

    // The server's local fan-outs, timed from here to the end of the claims.
    const timing = timeFanouts(app.realtime.io.of('/').adapter);

    // The tasks, posted by the requesting commune's manager.
    const stopBulkWatch = watchQueues(app.realtime.io);
    const total = settings.warmup + settings.claims;
    const taskIds = await postTasks(base, managerCookie, total, 'Fan-out', 60_000);
    const expecting = await Promise.all(links.map((l) => l.ask({ type: 'expect', taskIds, created: taskIds.length, timeoutMs: 15_000 }, 'expecting', 30_000)));
    const createdMissing = expecting.reduce((n, e) => n + e.createdMissing, 0);
    log(`posted ${taskIds.length} tasks in one bulk request; ${createdMissing === 0 ? 'every socket had every task:created' : `${createdMissing} task:created events still missing after 15 s`}`);

    const bulkQueued = stopBulkWatch();
    await snap(`after posting the ${taskIds.length} tasks (their task:created to every socket)`);

    // When the board hands each claim to Socket.IO: the sequencer calls the board's listener before this one.
    const handedAt = new Map<string, number>();
    const unsubscribe = app.sequencer.onEvents((batch) => {
      const at = clock();
      for (const event of batch) if (event.action === 'claim' && event.taskId) handedAt.set(event.taskId, at);
    });

    log(`claiming ${total} tasks one at a time (${settings.warmup} warm-up, ${settings.claims} measured), ${settings.pauseMs} ms apart...`);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const claimElu = performance.eventLoopUtilization();
    const claimCpu = cpuSample();
    const stopClaimWatch = watchQueues(app.realtime.io);
    const claimStart = performance.now();
    delay.enable();
    const claimed = await claimerLink.ask({ type: 'claim', taskIds, pauseMs: settings.pauseMs }, 'claimed', 90_000);
    const collected = await Promise.all(links.map((l) => l.ask({ type: 'collect', graceMs: 5_000 }, 'receipts', 30_000)));
    delay.disable();
    const claimSeconds = (performance.now() - claimStart) / 1000;
    const serverUtilization = performance.eventLoopUtilization(claimElu).utilization;
    const cpu = cpuSince(claimCpu, loadAverage);
    const claimQueued = stopClaimWatch();
    unsubscribe();
    timing.restore();

    await snap('after the claims (sockets still connected)');
    await Promise.all(links.map((l) => l.ask({ type: 'close' }, 'closed', 30_000)));
    await sleep(1000);
    await snap('after closing the sockets');

    // Every socket's receipts for every claim.
    let missedEvents = 0;
    const missedSockets = new Set<string>();
    const missedClaims = new Set<number>();
    const last: number[] = [];
    const median: number[] = [];
    const first: number[] = [];
    const spread: number[] = [];
    const handedToStart: number[] = [];
    const responseToStart: number[] = [];
    const fanoutMs: number[] = [];
    const endToLast: number[] = [];
    let fanoutAfterResponse = 0;
    const claimFanouts = new Map<string, Fanout>();
    for (const f of timing.fanouts) if (f.event === 'task:updated' && f.status === 'claimed' && f.taskId && !claimFanouts.has(f.taskId)) claimFanouts.set(f.taskId, f);
    const requestMs: number[] = [];
    let beforeResponse = 0;
    let claimFailures = 0;
    const times: number[] = [];
    for (let t = 0; t < taskIds.length; t++) {
      const status = claimed.status[t] ?? 0;
      if (status !== 200) claimFailures++;
      times.length = 0;
      collected.forEach((c, w) => {
        for (let s = 0; s < c.sockets; s++) {
          if (!isConnected[w]?.[s]) continue;
          const at = c.receipts[t * c.sockets + s] ?? Number.NaN;
          if (Number.isNaN(at)) {
            missedEvents++;
            missedSockets.add(`${w}:${s}`);
            missedClaims.add(t);
          } else {
            times.push(at);
          }
        }
      });
      if (t < settings.warmup || status !== 200 || missedClaims.has(t) || times.length === 0) continue;
      const answered = claimed.answeredAt[t] ?? 0;
      const sorted = Float64Array.from(times).sort();
      const lastAt = sorted[sorted.length - 1] ?? 0;
      const firstAt = sorted[0] ?? 0;
      const medianAt = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
      last.push(lastAt - answered);
      median.push(medianAt - answered);
      first.push(firstAt - answered);
      spread.push(lastAt - firstAt);
      requestMs.push(answered - (claimed.sentAt[t] ?? 0));
      if (lastAt < answered) beforeResponse++;
      const fanout = claimFanouts.get(taskIds[t] ?? '');
      if (fanout) {
        const handed = handedAt.get(taskIds[t] ?? '');
        if (handed !== undefined) handedToStart.push(fanout.startedAt - handed);
        responseToStart.push(fanout.startedAt - answered);
        if (fanout.startedAt > answered) fanoutAfterResponse++;
        fanoutMs.push(fanout.endedAt - fanout.startedAt);
        endToLast.push(lastAt - fanout.endedAt);
      }
    }

    const connectedCount = handshakes.length;
    const rssGrowth = withSockets.rssBytes - before.rssBytes;
    const workerGrowth = (withSockets.workersHeapUsedBytes + withSockets.workersExternalBytes) - (before.workersHeapUsedBytes + before.workersExternalBytes);
    const perSocket = (bytes: number) => (connectedCount === 0 ? 0 : Math.round(bytes / connectedCount));
    const lastSocket = latency(last);
    if (claimFanouts.size === 0) notes.push('The local fan-outs could not be timed (the adapter\'s broadcast was not found), so the breakdown is empty.');

    return {
      ...machine(),
      driver,
      ...(database ? { postgresVersion: database.version } : {}),
      notes,
      sockets: {
        requested: settings.sockets,
        connected: connectedCount,
        failures,
        errorSamples: connectErrors,
        workers: links.length,
        batchSize: settings.connectBatch,
        clerks: clerkCookies.length,
        connectSeconds: round3(connectMs / 1000),
        connectsPerSecond: Math.round(connectedCount / (connectMs / 1000)),
        handshakeMs: latency(handshakes),
        serverEventLoopUtilizationWhileConnecting: round3(connectUtilization),
      },
      claims: {
        measured: settings.claims,
        warmup: settings.warmup,
        pauseMs: settings.pauseMs,
        failed: claimFailures,
        errorSamples: claimed.errorSamples,
        durationS: round3(claimSeconds),
        requestMs: latency(requestMs),
      },
      latencyMs: {
        lastSocket,
        medianSocket: latency(median),
        firstSocket: latency(first),
        spread: latency(spread),
      },
      breakdownMs: {
        handedToFanoutStart: latency(handedToStart),
        responseToFanoutStart: latency(responseToStart),
        fanout: latency(fanoutMs),
        fanoutEndToLastSocket: latency(endToLast),
      },
      serverFanoutMs: fanoutsByEvent(timing.fanouts),
      fanoutAfterResponse,
      lastSocketBeforeResponse: beforeResponse,
      missed: {
        events: missedEvents,
        sockets: missedSockets.size,
        claims: missedClaims.size,
        createdEvents: createdMissing,
        duplicates: collected.reduce((n, c) => n + c.duplicates, 0),
        disconnects: collected.reduce((n, c) => n + c.disconnects, 0),
        disconnectReasons: collected.flatMap((c) => c.disconnectReasons).slice(0, 5),
      },
      order: {
        taskEvents: sumCounts(collected.map((c) => c.taskEvents)),
        outOfOrder: sumCounts(collected.map((c) => c.outOfOrder)),
        gaps: sumCounts(collected.map((c) => c.gaps)),
      },
      memory: {
        snapshots,
        serverQueuedPeak: { bulkPost: bulkQueued, claims: claimQueued },
        serverHeapPerSocketBytes: perSocket(withSockets.serverHeapUsedBytes - before.serverHeapUsedBytes),
        rssPerSocketBytes: perSocket(rssGrowth),
        rssPerSocketServerEstimateBytes: perSocket(rssGrowth - workerGrowth),
      },
      eventLoop: {
        serverUtilization: round3(serverUtilization),
        serverDelayP99Ms: round1(delay.percentile(99) / 1e6),
        serverDelayMaxMs: round1(delay.max / 1e6),
        socketWorkersUtilization: collected.map((c) => round3(c.eventLoopUtilization)),
      },
      cpu,
      clock: { offsetsMs: offsets.map((o) => o.offsetMs), roundTripMs: offsets.map((o) => o.roundTripMs) },
      goal: { line: GOAL_LINE, p99Ms: GOAL.p99Ms, pass: last.length > 0 && lastSocket.p99 < GOAL.p99Ms && missedEvents === 0 && failures === 0 },
    };
  } finally {
    for (const l of links) await l.stop().catch(() => undefined);
    if (running) await running.stop().catch((err: unknown) => log(`stopping the app failed: ${message(err)}`));
    await cleanUp();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

const ms = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;

function verdict(r: FanoutResult): string {
  const reasons: string[] = [`p99 ${r.latencyMs.lastSocket.p99} ms`];
  if (r.missed.events > 0) reasons.push(`${r.missed.events} events missed`);
  if (r.sockets.failures > 0) reasons.push(`${r.sockets.failures} sockets never connected`);
  return `${GOAL_LINE}: ${r.goal.pass ? 'PASS' : 'FAIL'} (${reasons.join(', ')})`;
}

function summary(r: FanoutResult): string {
  const m = r.memory;
  return [
    '',
    `Fan-out on ${r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}` : 'PGlite'}: ${r.sockets.connected}/${r.sockets.requested} sockets, ${r.claims.measured} measured claims (+${r.claims.warmup} warm-up), ${r.claims.pauseMs} ms apart`,
    `  connect: ${r.sockets.connectSeconds} s (${r.sockets.connectsPerSecond} sockets/s, batches of ${r.sockets.batchSize}), handshake ${ms(r.sockets.handshakeMs)}, server event loop busy ${(r.sockets.serverEventLoopUtilizationWhileConnecting * 100).toFixed(0)}%`,
    `  claim → last socket:   ${ms(r.latencyMs.lastSocket)} (min ${r.latencyMs.lastSocket.min} ms)`,
    `  claim → median socket: ${ms(r.latencyMs.medianSocket)}`,
    `  claim → first socket:  ${ms(r.latencyMs.firstSocket)}`,
    `  first → last socket (spread): ${ms(r.latencyMs.spread)}`,
    `  breakdown: sequencer listener → local fan-out begins ${ms(r.breakdownMs.handedToFanoutStart)}`,
    `             claim answer → local fan-out begins ${ms(r.breakdownMs.responseToFanoutStart)} (after the answer in ${r.fanoutAfterResponse}/${r.claims.measured})`,
    `             local fan-out (server writes to every socket) ${ms(r.breakdownMs.fanout)}`,
    `             local fan-out done → last socket ${ms(r.breakdownMs.fanoutEndToLastSocket)}`,
    ...Object.entries(r.serverFanoutMs).map(([name, l]) => `  server time in one ${name} fan-out (${l.count} of them): ${ms(l)}`),
    `  claim request itself: ${ms(r.claims.requestMs)}; last socket before the answer in ${r.lastSocketBeforeResponse}/${r.claims.measured} claims`,
    `  missed events ${r.missed.events} (sockets ${r.missed.sockets}, claims ${r.missed.claims}), task:created missing ${r.missed.createdEvents}, duplicates ${r.missed.duplicates}, disconnects ${r.missed.disconnects}, failed claims ${r.claims.failed}`,
    `  board order: task events received ${counts(r.order.taskEvents)}; out of order ${counts(r.order.outOfOrder)}; with a gap (prev ≠ last seq seen) ${counts(r.order.gaps)}`,
    `  CPU during the claims (cores of ${r.cpus}): machine ${r.cpu.machineCores}, this process ${r.cpu.thisProcessCores}, other processes (PostgreSQL included) ${r.cpu.otherProcessesCores}; load average at start ${r.cpu.loadAverage1mAtStart}`,
    `  event loops during the claims: server ${(r.eventLoop.serverUtilization * 100).toFixed(0)}% busy (delay p99 ${r.eventLoop.serverDelayP99Ms} ms, max ${r.eventLoop.serverDelayMaxMs} ms), sockets worker(s) ${r.eventLoop.socketWorkersUtilization.map((u) => `${(u * 100).toFixed(0)}%`).join(', ')}`,
    ...m.snapshots.map((s) => `  memory ${s.label}: RSS ${mb(s.rssBytes)}, server heap used ${mb(s.serverHeapUsedBytes)} (total ${mb(s.serverHeapTotalBytes)}), workers' heap used ${mb(s.workersHeapUsedBytes)} (total ${mb(s.workersHeapTotalBytes)})`),
    `  server's userland send queues at their peak: bulk post ${mb(m.serverQueuedPeak.bulkPost.bytes)} + ${m.serverQueuedPeak.bulkPost.packets} engine.io packets; claims ${mb(m.serverQueuedPeak.claims.bytes)} + ${m.serverQueuedPeak.claims.packets} packets`,
    `  per socket: server heap ${kb(m.serverHeapPerSocketBytes)}, process RSS ${kb(m.rssPerSocketBytes)} (about ${kb(m.rssPerSocketServerEstimateBytes)} without the workers' heap growth)`,
    ...r.sockets.errorSamples.map((e) => `  connect error: ${e}`),
    ...r.claims.errorSamples.map((e) => `  claim error: ${e}`),
    ...r.missed.disconnectReasons.map((e) => `  disconnect: ${e}`),
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

function markdown(r: FanoutResult): string {
  const row = (label: string, l: Latency) => `| ${label} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${l.min} |`;
  const m = r.memory;
  const lines = [
    '# Fan-out benchmark',
    '',
    `${r.date} · Node ${r.node} · ${r.cpus} CPU (${r.cpuModel}) · ${r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}` : 'PGlite (embedded)'}`,
    '',
    `One app instance in-process (main thread); ${r.sockets.connected} socket.io-client sockets (websocket transport) in ${r.sockets.workers} worker thread(s), all in the same region, sharing the sessions of ${r.sockets.clerks} clerks; a claimer in another worker thread claims ${r.claims.measured} tasks one at a time (${r.claims.pauseMs} ms apart, after ${r.claims.warmup} unmeasured warm-up claims) as a clerk of another commune.`,
    'Latency of a claim = when a socket received its `task:updated` (status claimed) minus when the claimer had the whole HTTP answer, both on `performance.timeOrigin + performance.now()` (shared by the threads of the process). Negative: the socket had the event before the claimer had the answer.',
    '',
    `**${verdict(r)}**`,
    '',
    '| latency (ms) | p50 | p90 | p99 | max | min |',
    '|---|---|---|---|---|---|',
    row('claim answer → last socket', r.latencyMs.lastSocket),
    row('claim answer → median socket', r.latencyMs.medianSocket),
    row('claim answer → first socket', r.latencyMs.firstSocket),
    row('first socket → last socket', r.latencyMs.spread),
    row('claim request (sent → answered)', r.claims.requestMs),
    row('socket handshake (io() → connect)', r.sockets.handshakeMs),
    '',
    `The last socket had the event before the claimer had the HTTP answer in ${r.lastSocketBeforeResponse} of ${r.claims.measured} claims.`,
    '',
    '### Where the time goes',
    '',
    'Server-side marks, on the same clock: when the sequencer told its listeners of the claim (a listener this benchmark adds, after the board\'s), and when the local fan-out began and ended (Socket.IO\'s in-memory base adapter `broadcast`, which every adapter ends in for this instance\'s own sockets: it encodes the packet once and writes it to every socket of the region before returning; timed by wrapping it from the benchmark).',
    '',
    '| (ms) | p50 | p90 | p99 | max | min |',
    '|---|---|---|---|---|---|',
    row('sequencer listener → local fan-out begins', r.breakdownMs.handedToFanoutStart),
    row('claim answer → local fan-out begins', r.breakdownMs.responseToFanoutStart),
    row('local fan-out (server writes every socket)', r.breakdownMs.fanout),
    row('local fan-out done → last socket', r.breakdownMs.fanoutEndToLastSocket),
    ...Object.entries(r.serverFanoutMs).map(([name, l]) => row(`one \`${name}\` fan-out (×${l.count})`, l)),
    '',
    'The last rows are every local fan-out from the bulk post to the last claim, by event (warm-up included; `load:updated` is the board\'s derived-load broadcast, at most twice a second while tasks change).',
    `The local fan-out began after the claimer already had the HTTP answer in ${r.fanoutAfterResponse} of ${r.claims.measured} claims.`,
    '"Sequencer listener → local fan-out begins" is negative when the board writes to the sockets inside its own sequencer listener (before the claim is answered), positive when it publishes later.',
    '',
    '| | |',
    '|---|---|',
    `| sockets connected | ${r.sockets.connected} of ${r.sockets.requested} (${r.sockets.failures} failed) |`,
    `| connect phase | ${r.sockets.connectSeconds} s, ${r.sockets.connectsPerSecond} sockets/s, batches of ${r.sockets.batchSize}; server event loop busy ${(r.sockets.serverEventLoopUtilizationWhileConnecting * 100).toFixed(0)}% |`,
    `| events missed | ${r.missed.events} (sockets ${r.missed.sockets}, claims ${r.missed.claims}) |`,
    `| task:created missing before the claims | ${r.missed.createdEvents} |`,
    `| duplicate receipts | ${r.missed.duplicates} |`,
    `| disconnects during the run | ${r.missed.disconnects} |`,
    `| task events received (all sockets) | ${counts(r.order.taskEvents)} |`,
    `| … out of order (seq not above the last seen) | ${counts(r.order.outOfOrder)} |`,
    `| … with a gap (\`prev\` ≠ last seq seen: a client would resync) | ${counts(r.order.gaps)} |`,
    `| failed claims | ${r.claims.failed} |`,
    `| claim phase | ${r.claims.durationS} s |`,
    `| server event loop during the claims | ${(r.eventLoop.serverUtilization * 100).toFixed(0)}% busy, delay p99 ${r.eventLoop.serverDelayP99Ms} ms, max ${r.eventLoop.serverDelayMaxMs} ms |`,
    `| sockets worker event loop during the claims | ${r.eventLoop.socketWorkersUtilization.map((u) => `${(u * 100).toFixed(0)}%`).join(', ')} busy |`,
    `| CPU during the claims, in cores of ${r.cpus} | machine ${r.cpu.machineCores}: this process (server and client workers) ${r.cpu.thisProcessCores}, other processes (PostgreSQL included) ${r.cpu.otherProcessesCores}; 1-minute load average at start ${r.cpu.loadAverage1mAtStart} |`,
    `| worker clock offsets (round trip) | ${r.clock.offsetsMs.map((o, i) => `${o} ms (${r.clock.roundTripMs[i] ?? 0} ms)`).join(', ')} |`,
    '',
    '## Memory',
    '',
    `Taken ${m.snapshots.every((s) => s.afterFullGc) ? 'after a full garbage collection in every thread' : 'without a forced garbage collection'}. The app runs in the main thread, so "server heap" is the app's V8 heap (plus this benchmark's small orchestration). RSS is the whole process: it includes the worker threads that hold the client sockets, so it overstates the server; the workers' own heaps are shown apart. Kernel socket buffers are in neither.`,
    '',
    '| when | RSS | server heap used | server heap total | server external | workers\' heap used | workers\' heap total | workers\' external |',
    '|---|---|---|---|---|---|---|---|',
    ...m.snapshots.map((s) => `| ${s.label} | ${mb(s.rssBytes)} | ${mb(s.serverHeapUsedBytes)} | ${mb(s.serverHeapTotalBytes)} | ${mb(s.serverExternalBytes)} | ${mb(s.workersHeapUsedBytes)} | ${mb(s.workersHeapTotalBytes)} | ${mb(s.workersExternalBytes)} |`),
    '',
    `Server's userland send queues at their peak (ws \`bufferedAmount\` summed over its sockets, plus engine.io packets not yet handed to ws; sampled every 5 ms): during the bulk post ${mb(m.serverQueuedPeak.bulkPost.bytes)} and ${m.serverQueuedPeak.bulkPost.packets} packets; during the claims ${mb(m.serverQueuedPeak.claims.bytes)} and ${m.serverQueuedPeak.claims.packets} packets.`,
    '',
    `Per connected socket: server heap ${kb(m.serverHeapPerSocketBytes)}; process RSS ${kb(m.rssPerSocketBytes)}, of which roughly ${kb(m.rssPerSocketServerEstimateBytes)} once the workers' heap and external growth is taken out (an estimate: the client side's native memory stays in).`,
  ];
  if (r.eventLoop.socketWorkersUtilization.some((u) => u > 0.5)) {
    lines.push('', 'The sockets worker\'s event loop was busy more than half the claim phase: every socket decodes every frame on that one thread, so part of "local fan-out done → last socket" is the client side\'s own queue, not the server\'s. BENCH_SOCKET_WORKERS spreads the sockets over more threads, which helps only with cores to spare.');
  }
  if (r.cpu.otherProcessesCores > 0.5) {
    lines.push('', `**Other processes used ${r.cpu.otherProcessesCores} of the ${r.cpus} cores during the claims** (PostgreSQL's share included, usually well under half a core here): other work competed for the CPUs, so these figures are pessimistic; rerun on a quiet machine.`);
  }
  if (r.cpus <= 4) {
    lines.push('', `All of this shares ${r.cpus} CPUs: the server's thread, the sockets worker(s), the claimer${r.driver === 'postgres' ? ' and PostgreSQL' : ''}. The client side's work (every socket decoding every frame) competes with the server's for them, so the figures are pessimistic for the server: real clients each decode on their own machine.`);
  }
  const disorder = r.order.outOfOrder.created + r.order.outOfOrder.updated + r.order.gaps.created + r.order.gaps.updated;
  if (disorder > 0) {
    lines.push('', `**Order:** the sockets received ${counts(r.order.outOfOrder)} task events out of sequence order and ${counts(r.order.gaps)} whose \`prev\` did not match the last seq they had seen; no event was lost, but a client that follows \`prev\` would take these for gaps and resync.`);
  }
  for (const n of r.notes) lines.push('', n);
  lines.push('', 'Run with `npm run bench` (after the claim benchmark) or `npx tsx bench/fanout.ts`; see bench/fanout.ts for the settings (BENCH_* variables).', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  log(`Fan-out benchmark · Node ${process.version} · ${os.cpus().length} CPU (load average ${os.loadavg()[0]?.toFixed(2) ?? '?'}) · ${settings.sockets} sockets · ${settings.claims} claims`);
  const r = await run();
  log(summary(r));
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'fanout.json'), `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(path.join(resultsDir, 'fanout.md'), markdown(r));
  log(`\n${verdict(r)}`);
  log(`results: ${path.relative(process.cwd(), resultsDir)}/fanout.md, fanout.json`);
  const failed = r.missed.events > 0 || r.sockets.failures > 0 || r.claims.failed > 0;
  if (failed) log('FAILED: a socket missed an event, a socket never connected, or a claim failed');
  return failed ? 1 : 0;
}

/**
 * Abandons the run: the app's connections die with its database, and their errors no longer matter.
 * Once only: a Ctrl-C reaches this process twice (from the terminal and relayed by tsx), and the second
 * must not kill it before the database is dropped.
 */
let abandoning = false;
function abandon(reason: string, code: number): void {
  if (abandoning) return;
  abandoning = true;
  abandonRun(reason, code, 'bench database');
}

const watchdog = setTimeout(() => abandon(`benchmark still running after ${settings.timeoutS} s`, 1), settings.timeoutS * 1000);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => abandon(signal, 130));
}

main().then(exitWith, exitOnError);
