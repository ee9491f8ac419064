/**
 * What the fan-out benchmark measures besides the sockets' receipts: its worker threads (asked one
 * thing at a time, their clocks and memory), the app's local fan-outs and send queues in this process,
 * and the CPU.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { Running } from '../server/server';
import { latency, startWorker, type Latency } from './bench-support';
import {
  clock,
  collectGarbage,
  threadMemory,
  type FanoutJob,
  type FromWorker,
  type OrderCounts,
  type ToWorker,
} from './fanout-clients';
import type { FanoutResult, MemorySnapshot, Queued } from './fanout-result';

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
export class WorkerLink {
  readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(
    readonly name: string,
    job: FanoutJob,
  ) {
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
export async function clockOffset(link: WorkerLink): Promise<{ offsetMs: number; roundTripMs: number }> {
  let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const t0 = clock();
    const { t1 } = await link.ask({ type: 'clock', t0 }, 'clock', 5_000);
    const t2 = clock();
    if (t2 - t0 < best.roundTripMs) best = { offsetMs: t1 - (t0 + t2) / 2, roundTripMs: t2 - t0 };
  }
  return { offsetMs: Math.round(best.offsetMs * 1000) / 1000, roundTripMs: Math.round(best.roundTripMs * 1000) / 1000 };
}

export async function memorySnapshot(label: string, links: WorkerLink[]): Promise<MemorySnapshot> {
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

// ---------------------------------------------------------------------------------------------
// The server's fan-outs and send queues, the CPU

/** One local fan-out: the in-memory adapter writing one packet to every socket of its rooms. */
export interface Fanout {
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
 * when each call began and ended. Instrumentation from the outside, like bench/app-probes.ts counting
 * statements on pg's Client; `restore()` puts the original back.
 */
export function timeFanouts(adapter: object): { fanouts: Fanout[]; restore: () => void } {
  const fanouts: Fanout[] = [];
  let base: object | undefined;
  for (
    let proto: unknown = Object.getPrototypeOf(adapter);
    typeof proto === 'object' && proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
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

function queuedOnServer(io: Running['realtime']['io']): Queued {
  let bytes = 0;
  let packets = 0;
  for (const socket of io.of('/').sockets.values()) {
    const conn = socket.conn as unknown as {
      writeBuffer?: unknown[];
      transport?: { socket?: { bufferedAmount?: unknown } };
    };
    const amount = conn.transport?.socket?.bufferedAmount;
    if (typeof amount === 'number') bytes += amount;
    packets += conn.writeBuffer?.length ?? 0;
  }
  return { bytes, packets };
}

/** Samples queuedOnServer every few milliseconds and keeps the peak, until stopped. */
export function watchQueues(io: Running['realtime']['io']): () => Queued {
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

export function cpuSample(): CpuSample {
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

export function cpuSince(start: CpuSample, loadAverage: number): FanoutResult['cpu'] {
  const end = cpuSample();
  const wallMs = end.at - start.at || 1;
  const share = (end.busyMs - start.busyMs) / (end.totalMs - start.totalMs || 1);
  const machine = share * os.cpus().length;
  const own = (end.ownMicros - start.ownMicros) / 1000 / wallMs;
  const round2 = (v: number) => Math.round(v * 100) / 100;
  return {
    loadAverage1mAtStart: round2(loadAverage),
    machineCores: round2(machine),
    thisProcessCores: round2(own),
    otherProcessesCores: round2(Math.max(0, machine - own)),
  };
}

export function sumCounts(list: OrderCounts[]): OrderCounts {
  return list.reduce((a, c) => ({ created: a.created + c.created, updated: a.updated + c.updated }), {
    created: 0,
    updated: 0,
  });
}

export function fanoutsByEvent(fanouts: Fanout[]): Record<string, Latency & { count: number }> {
  const by = new Map<string, number[]>();
  for (const f of fanouts) {
    const list = by.get(f.event) ?? [];
    list.push(f.endedAt - f.startedAt);
    by.set(f.event, list);
  }
  return Object.fromEntries([...by].map(([event, list]) => [event, { ...latency(list), count: list.length }]));
}
