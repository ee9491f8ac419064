/**
 * Claim benchmark: 50 HTTP clients race to claim tasks on the real app, on PostgreSQL and on PGlite.
 *
 *   npm run bench
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL     admin connection to PostgreSQL (default postgres://postgres@127.0.0.1:5432/postgres);
 *                          a fresh database entraide_bench_<random> is created there and dropped at the end
 *   BENCH_DRIVERS          which runs, in order (default "postgres,pglite")
 *   BENCH_TASKS_PG         tasks to claim on PostgreSQL (default 15000)
 *   BENCH_TASKS_PGLITE     tasks to claim on PGlite (default 3000)
 *   BENCH_WARMUP           tasks claimed first, unmeasured, to warm the JIT and the pools (default 300)
 *   BENCH_RACED_PERCENT    share of the tasks that a second client also tries to claim, so that two
 *                          claims race on them (default 10; 100 races every task, 0 none)
 *   BENCH_CLIENTS          concurrent clients (default 50)
 *   BENCH_MAX_SECONDS      a claim phase stops taking new attempts after this (default 60)
 *   BENCH_REFERENCE_SECONDS  length of each reference phase (default 5; 0 skips them): before the claim
 *                          phase, the same clients repeat GET /healthz (no session, no database), then
 *                          GET /api/v1/me with the clerks' sessions (one SQL query), on the same app, to
 *                          show what one instance answers at all on this machine
 *   BENCH_INSTANCES        app instances on PostgreSQL (default 1): the others run in processes of their
 *                          own on the same database, and client c talks to instance c % n, as the
 *                          proxy of docker-compose.yml spreads users over its instances (PGlite: always 1)
 *   BENCH_POOL_SIZE        the app's DATABASE_POOL_SIZE on PostgreSQL (default: the app's default)
 *   BENCH_PGLITE_DIR       "memory" for an in-memory PGlite (default: files in a temporary directory)
 *   BENCH_CLIENTS_INLINE   "true" runs the clients on the server's event loop instead of a worker thread
 *   BENCH_SEED             seed of the attempt order (default 1)
 *   BENCH_CPU_PROFILE      a file: the app thread's CPU profile of the claim phase (PostgreSQL run) is
 *                          written there, to open in Chrome's DevTools
 *   BENCH_ANALYZE          "true", "false" or "auto" (default): ANALYZE the database after posting the tasks.
 *                          auto = on PostgreSQL only, whose autovacuum would do it within about a minute of a
 *                          bulk import (without it the run's rate depends on when autovacuum fires); PGlite
 *                          has no autovacuum, so there the app meets the tables as they are
 *
 * Writes bench/results/claims-<driver>.json and bench/results/claims.md. Exits 1 when a task was
 * claimed twice or more than 1% of the requests failed.
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { Client } from 'pg';
import { events, tasks, type UserRow } from '../server/db/schema';
import type { Running } from '../server/server';
import {
  abandon, benchConfig, benchRegion, cleanUp, createBenchDatabase, dropBenchDatabase, exitOnError, exitWith, intEnv, latency,
  log, login, machine, makeDataDir, message, postgresAnswers, postTasks, removeDataDir, resultsDir, safeAdminUrl, startApp,
  startInstanceProcess, startWorker, cpuSnapshot, type BenchDatabase, type CpuSnapshot, type InstanceProcess, type Driver, type Latency, type Machine,
} from './bench-support';
import { runClaims, runReference, type ClaimJob, type ClaimResult, type Job, type ReferenceJob, type ReferenceResult } from './claim-clients';

const env = process.env;

const settings = {
  drivers: (env.BENCH_DRIVERS ?? 'postgres,pglite').split(',').map((d) => d.trim()).filter((d): d is Driver => d === 'postgres' || d === 'pglite'),
  tasks: { postgres: intEnv('BENCH_TASKS_PG', 15_000), pglite: intEnv('BENCH_TASKS_PGLITE', 3_000) } satisfies Record<Driver, number>,
  warmup: intEnv('BENCH_WARMUP', 300, 0),
  racedPercent: Math.min(100, intEnv('BENCH_RACED_PERCENT', 10, 0)),
  clients: intEnv('BENCH_CLIENTS', 50),
  instances: intEnv('BENCH_INSTANCES', 1),
  maxSeconds: intEnv('BENCH_MAX_SECONDS', 60),
  referenceSeconds: intEnv('BENCH_REFERENCE_SECONDS', 5, 0),
  poolSize: env.BENCH_POOL_SIZE,
  pgliteInMemory: env.BENCH_PGLITE_DIR === 'memory',
  clientsInline: env.BENCH_CLIENTS_INLINE === 'true',
  seed: intEnv('BENCH_SEED', 1, 0),
  cpuProfile: env.BENCH_CPU_PROFILE,
  analyze: env.BENCH_ANALYZE === 'true' ? 'always' : env.BENCH_ANALYZE === 'false' ? 'never' : 'postgres',
};

const HELPING_COMMUNES = 6;
const GOAL = { claimsPerSecond: 1500, p99Ms: 50 };
const GOAL_LINE = `goal on PostgreSQL: >= ${GOAL.claimsPerSecond} claims/s, p99 < ${GOAL.p99Ms} ms, 0 double claims`;

/** The claim benchmark's latency figures: those of bench-support without the minimum. */
type ClaimLatency = Omit<Latency, 'min'>;

/** What the app answers to one simple GET, measured before the claim phase: the machine's ceiling. */
interface ReferenceFigures {
  request: string;
  /** What the request costs the app. */
  cost: string;
  requests: number;
  durationS: number;
  requestsPerSecond: number;
  latencyMs: ClaimLatency;
  errors: number;
  errorSamples: string[];
  serverEventLoopUtilization: number;
  /** CPU time of the app's thread per request, where /proc tells. */
  appCpuMsPerRequest?: number;
  /** SQL statements the app sent per request (PostgreSQL only). */
  statementsPerRequest?: number;
}

interface DriverResult extends Machine {
  driver: Driver;
  postgresVersion?: string;
  poolSize?: number;
  clientsIn: 'worker thread' | 'server event loop';
  /** App instances serving the clients: the first in this process, the others in processes of their own. */
  instances: number;
  /** Whether the planner had statistics (ANALYZE after posting the tasks). */
  analyzedBeforeClaims: boolean;
  tasks: number;
  /** Tasks attempted by a second client too. */
  racedTasks: number;
  warmupTasks: number;
  clients: number;
  clerks: number;
  attempts: number;
  durationS: number;
  claimsPerSecond: number;
  attemptsPerSecond: number;
  latencyMs: ClaimLatency;
  successLatencyMs: ClaimLatency;
  conflictLatencyMs: ClaimLatency;
  successes: number;
  conflicts: number;
  errors: number;
  errorRate: number;
  errorSamples: string[];
  stoppedByDeadline: boolean;
  /** Tasks claimed more than once: two claim events, or two 200 answers. */
  doubleClaims: number;
  /** Tasks whose claim events disagree with their status (claimed without exactly one claim event, or open with one). */
  claimEventMismatches: number;
  /** Measured tasks still open at the end (only when the phase stopped early). */
  unclaimedTasks: number;
  bulkPostTasksPerSecond: number;
  /** Share of the claim phase the server's event loop was busy (1 = saturated: the app is CPU-bound). */
  /** Successful claims per second in consecutive 5-second windows: shows whether the rate holds. */
  claimsPerSecondBy5s: number[];
  serverEventLoopUtilization: number;
  /** CPU time of the app's thread per claim attempt, where /proc tells (one instance only). */
  appCpuMsPerAttempt?: number;
  /** CPU time of the bench process's other threads per claim attempt: mostly the clients' worker thread. */
  otherThreadsCpuMsPerAttempt?: number;
  /** CPU time of all PostgreSQL processes per claim attempt, where /proc tells. */
  postgresCpuMsPerAttempt?: number;
  /** SQL statements the app sent per claim attempt (PostgreSQL only: counted on pg's Client). */
  statementsPerAttempt?: number;
  /** Claims per claim statement on the first instance: how many claims its batches gathered, on average. */
  claimsPerStatement?: number;
  /**
   * Reference ceilings on the same app instance, same clients, just before the claim phase:
   * GET /healthz, then GET /api/v1/me with the clerks' sessions. Empty when BENCH_REFERENCE_SECONDS=0.
   */
  reference: ReferenceFigures[];
  goal?: { claimsPerSecond: boolean; p99: boolean; doubleClaims: boolean; pass: boolean };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** mulberry32: a tiny seeded generator, so that two runs race on the same attempt order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Every task is attempted once in list order, as clerks each take a different task off the board.
 * A share of them (`racedPercent`) is attempted a second time by another client a little later
 * (1 to 2×clients positions behind), as when two clerks click the same task: a short gap means both
 * requests are in flight together and race on the row lock, a longer one means the second finds the
 * task already taken. Either way the loser must get 409.
 */
function attemptOrder(count: number, clients: number, seed: number, racedPercent: number): number[] {
  const rnd = random(seed);
  const keyed: { key: number; task: number }[] = [];
  for (let i = 0; i < count; i++) {
    keyed.push({ key: i, task: i });
    const gap = 0.5 + Math.floor(rnd() * 2 * clients);
    if (rnd() * 100 < racedPercent) keyed.push({ key: i + gap, task: i });
  }
  keyed.sort((a, b) => a.key - b.key);
  return keyed.map((k) => k.task);
}

/** The V8 profiler on this thread (the app's), for one phase. */
async function startProfiler(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      log(`  CPU profile of the claim phase: ${file}`);
    },
  };
}

function claimLatency(values: Float64Array): ClaimLatency {
  const { p50, p90, p99, max, mean } = latency(values);
  return { p50, p90, p99, max, mean };
}

/** Claims per second in each 5 s window; a last window shorter than 2.5 s (the tail) joins the one before. */
function perWindow(counts: number[], durationS: number): number[] {
  const spans = counts.map((_, i) => Math.max(0, Math.min(5, durationS - i * 5)));
  const lastSpan = spans[spans.length - 1] ?? 0;
  if (counts.length > 1 && lastSpan < 2.5) {
    const last = counts.pop() ?? 0;
    spans.pop();
    counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + last;
    spans[spans.length - 1] = (spans[spans.length - 1] ?? 0) + lastSpan;
  }
  return counts.map((n, i) => Math.round(n / (spans[i] || 1)));
}

/**
 * Counts the statements the app sends through node-postgres (pools and transactions alike go through
 * Client#query), to tell how many round trips a claim costs.
 */
const statements = { count: 0 };
function countStatements(): () => void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function query(this: unknown, ...args: unknown[]): unknown {
    statements.count++;
    return Reflect.apply(original, this, args);
  };
  return () => {
    proto.query = original;
  };
}

// ---------------------------------------------------------------------------------------------
// One run

/** Runs a phase's clients in a worker thread (or inline with BENCH_CLIENTS_INLINE=true). */
/** The claims the app has run so far and the claim statements they went out in (its own metrics). */
async function claimBatches(running: Running): Promise<{ claims: number; statements: number }> {
  const { values } = await running.metrics.claimBatchSize.get();
  const total = (suffix: string) => values.find((v) => v.metricName === `entraide_claim_batch_size_${suffix}`)?.value ?? 0;
  return { claims: total('sum'), statements: total('count') };
}

function runPhase(job: ClaimJob): Promise<ClaimResult>;
function runPhase(job: ReferenceJob): Promise<ReferenceResult>;
async function runPhase(job: Job): Promise<ClaimResult | ReferenceResult> {
  if (settings.clientsInline) return job.kind === 'claim-job' ? runClaims(job) : runReference(job);
  const worker = startWorker('claim-clients.ts', job);
  try {
    return await new Promise<ClaimResult | ReferenceResult>((resolve, reject) => {
      worker.once('message', (message: unknown) => {
        if (typeof message === 'object' && message !== null && 'failed' in message) reject(new Error(`${job.kind} worker failed: ${String(message.failed)}`));
        else resolve(message as ClaimResult | ReferenceResult);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`claim worker exited (${code}) without a result`)));
    });
  } finally {
    await worker.terminate();
  }
}

async function benchDriver(driver: Driver): Promise<DriverResult> {
  const taskCount = settings.tasks[driver];
  const dataDir = makeDataDir('entraide-bench-');
  let database: BenchDatabase | undefined;
  let running: Running | undefined;
  const others: InstanceProcess[] = [];
  try {
    if (driver === 'postgres') {
      database = await createBenchDatabase('entraide_bench_');
      log(`  database ${database.name} on PostgreSQL ${database.version}`);
    }
    const config = benchConfig({
      dataDir: driver === 'pglite' && settings.pgliteInMemory ? 'memory://' : dataDir,
      databaseUrl: database?.url,
      poolSize: settings.poolSize,
    });
    running = await startApp(config);
    const { db } = running.database;
    const base = new URL(running.url);
    log(`  app listening at ${running.url} (${running.database.driver}${driver === 'pglite' ? `, ${config.dataDir}` : `, pool ${config.databasePoolSize}`})`);
    const instances = driver === 'postgres' ? settings.instances : 1;
    while (others.length < instances - 1) {
      const other = await startInstanceProcess(config);
      others.push(other);
      log(`  another instance listening at ${other.url} (its own process, same database)`);
    }
    const urls = [running.url, ...others.map((o) => o.url)];

    // People and places, straight through the repositories.
    const { region, commune, user } = await benchRegion(db, 'Bench region');
    const requesting = await commune('BENCH0', 'Bench requesting commune', 0);
    const manager = await user('bench.manager', 'manager', requesting.id);
    const clerks: UserRow[] = [];
    for (let i = 1; i <= HELPING_COMMUNES; i++) {
      const helper = await commune(`BENCH${i}`, `Bench helping commune ${i}`, i);
      clerks.push(await user(`bench.clerk${i}`, 'clerk', helper.id));
    }

    const managerCookie = await login(base, manager.username);
    const clerkCookies: string[] = [];
    for (const clerk of clerks) clerkCookies.push(await login(base, clerk.username));

    // The tasks, posted by the manager in batches of at most 1000.
    const post = (count: number, label: string): Promise<string[]> => postTasks(base, managerCookie, count, label, 120_000);
    const warmupIds = await post(settings.warmup, 'Warm-up');
    const postStart = performance.now();
    const taskIds = await post(taskCount, 'Bench');
    const bulkSeconds = (performance.now() - postStart) / 1000;
    log(`  posted ${taskIds.length} tasks in ${bulkSeconds.toFixed(1)} s (${Math.round(taskIds.length / bulkSeconds)} tasks/s), plus ${warmupIds.length} for the warm-up`);

    const analyzed = settings.analyze === 'always' || (settings.analyze === 'postgres' && driver === 'postgres');
    if (analyzed) await db.execute(sql`analyze`);

    const job = (ids: string[], seed: number): ClaimJob => ({
      kind: 'claim-job',
      urls,
      cookies: clerkCookies,
      clients: settings.clients,
      taskIds: ids,
      order: attemptOrder(ids.length, settings.clients, seed, settings.racedPercent),
      maxMs: settings.maxSeconds * 1000,
      requestTimeoutMs: 30_000,
    });
    if (warmupIds.length > 0) {
      const warm = await runPhase(job(warmupIds, settings.seed + 1));
      log(`  warm-up: ${warm.attempts} attempts in ${(warm.durationMs / 1000).toFixed(1)} s`);
    }

    // Reference ceilings: the same clients in the same arrangement, on requests that do less than a claim.
    const reference: ReferenceFigures[] = [];
    const measureReference = async (requestPath: string, cost: string, cookies: string[]): Promise<void> => {
      const statementsAtStart = statements.count;
      const eluAtStart = performance.eventLoopUtilization();
      const cpuAtStart = cpuSnapshot();
      const r = await runPhase({
        kind: 'reference-job',
        url: running?.url ?? '',
        path: requestPath,
        cookies,
        clients: settings.clients,
        durationMs: settings.referenceSeconds * 1000,
        requestTimeoutMs: 30_000,
        expectStatus: 200,
      });
      const loopBusy = performance.eventLoopUtilization(eluAtStart).utilization;
      const cpuAtEnd = cpuSnapshot();
      const statementCount = statements.count - statementsAtStart;
      const seconds = r.durationMs / 1000;
      const figures: ReferenceFigures = {
        request: `GET ${requestPath}`,
        cost,
        requests: r.requests,
        durationS: Math.round(seconds * 1000) / 1000,
        requestsPerSecond: Math.round(r.requests / seconds),
        latencyMs: claimLatency(r.latencyMs),
        errors: r.errors,
        errorSamples: r.errorSamples,
        serverEventLoopUtilization: Math.round(loopBusy * 1000) / 1000,
        ...(cpuAtStart && cpuAtEnd && r.requests > 0 ? { appCpuMsPerRequest: Math.round(((cpuAtEnd.appMs - cpuAtStart.appMs) / r.requests) * 1000) / 1000 } : {}),
        ...(driver === 'postgres' && r.requests > 0 ? { statementsPerRequest: Math.round((statementCount / r.requests) * 100) / 100 } : {}),
      };
      reference.push(figures);
      log(`  reference ${referenceLine(figures)}`);
      for (const sample of r.errorSamples) log(`    unexpected answer: ${sample}`);
    };
    if (settings.referenceSeconds > 0) {
      log(`  reference: ${settings.clients} clients, ${settings.referenceSeconds} s per request...`);
      await measureReference('/healthz', 'no session, no database', []);
      await measureReference('/api/v1/me', "a clerk's session: Express, session, passport, and the session read (one prepared SQL query, then kept in memory for SESSION_CACHE_MS)", clerkCookies);
    }

    const claimJob = job(taskIds, settings.seed);
    const racedTasks = claimJob.order.length - taskIds.length;
    log(`  claiming: ${settings.clients} clients, ${claimJob.order.length} attempts (${racedTasks} of the ${taskIds.length} tasks raced by two clients)...`);
    const statementsBefore = statements.count;
    const batchesBefore = await claimBatches(running);
    const elu = performance.eventLoopUtilization();
    const profiler = settings.cpuProfile && driver === 'postgres' ? await startProfiler() : undefined;
    const cpuBefore = cpuSnapshot();
    const result = await runPhase(claimJob);
    const cpuAfter = cpuSnapshot();
    if (profiler && settings.cpuProfile) await profiler.stopInto(settings.cpuProfile);
    const serverElu = performance.eventLoopUtilization(elu).utilization;
    const statementCount = statements.count - statementsBefore;
    const batchesAfter = await claimBatches(running);
    const claimStatements = batchesAfter.statements - batchesBefore.statements;
    const cpuPerAttempt = (pick: (c: CpuSnapshot) => number) => (cpuBefore && cpuAfter && result.attempts > 0
      ? Math.round(((pick(cpuAfter) - pick(cpuBefore)) / result.attempts) * 1000) / 1000
      : undefined);
    const appCpu = instances === 1 ? cpuPerAttempt((c) => c.appMs) : undefined;
    const otherThreadsCpu = instances === 1 ? cpuPerAttempt((c) => c.processMs - c.appMs) : undefined;
    const postgresCpu = driver === 'postgres' ? cpuPerAttempt((c) => c.postgresMs) : undefined;

    // What the clients saw.
    let successes = 0;
    let conflicts = 0;
    let errors = 0;
    const wins = new Uint16Array(taskIds.length);
    const windows = new Array<number>(Math.max(1, Math.ceil(result.durationMs / 5000))).fill(0);
    const successLatencies: number[] = [];
    const conflictLatencies: number[] = [];
    for (let k = 0; k < result.attempts; k++) {
      const status = result.status[k] ?? 0;
      const ms = result.latencyMs[k] ?? 0;
      if (status === 200) {
        successes++;
        successLatencies.push(ms);
        const w = Math.min(windows.length - 1, Math.floor((result.doneAtMs[k] ?? 0) / 5000));
        windows[w] = (windows[w] ?? 0) + 1;
        const t = result.taskIndex[k] ?? 0;
        wins[t] = (wins[t] ?? 0) + 1;
      } else if (status === 409) {
        conflicts++;
        conflictLatencies.push(ms);
      } else {
        errors++;
      }
    }
    const doubled = new Set<string>();
    wins.forEach((n, t) => {
      const id = taskIds[t];
      if (n > 1 && id) doubled.add(id);
    });

    // What the database holds.
    await running.sequencer.flush();
    const duplicateEvents = await db
      .select({ taskId: events.taskId, n: sql<number>`count(*)::int` })
      .from(events)
      .where(eq(events.action, 'claim'))
      .groupBy(events.taskId)
      .having(sql`count(*) > 1`);
    for (const row of duplicateEvents) if (row.taskId) doubled.add(row.taskId);
    const mismatches = await db
      .select({ id: tasks.id })
      .from(tasks)
      .leftJoin(events, and(eq(events.taskId, tasks.id), eq(events.action, 'claim')))
      .where(eq(tasks.regionId, region.id))
      .groupBy(tasks.id)
      .having(sql`(${tasks.status} = 'open' and count(${events.id}) <> 0) or (${tasks.status} <> 'open' and count(${events.id}) <> 1)`);
    const [open] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(eq(tasks.regionId, region.id), eq(tasks.status, 'open')));

    const durationS = result.durationMs / 1000;
    const pool = running.database.driver === 'postgres' ? config.databasePoolSize : undefined;
    return {
      ...machine(),
      driver,
      ...(database ? { postgresVersion: database.version } : {}),
      ...(pool !== undefined ? { poolSize: pool } : {}),
      clientsIn: settings.clientsInline ? 'server event loop' : 'worker thread',
      instances,
      analyzedBeforeClaims: analyzed,
      tasks: taskIds.length,
      racedTasks,
      warmupTasks: warmupIds.length,
      clients: settings.clients,
      clerks: clerkCookies.length,
      attempts: result.attempts,
      durationS: Math.round(durationS * 1000) / 1000,
      claimsPerSecond: Math.round(successes / durationS),
      attemptsPerSecond: Math.round(result.attempts / durationS),
      latencyMs: claimLatency(result.latencyMs),
      successLatencyMs: claimLatency(Float64Array.from(successLatencies)),
      conflictLatencyMs: claimLatency(Float64Array.from(conflictLatencies)),
      successes,
      conflicts,
      errors,
      errorRate: result.attempts === 0 ? 0 : errors / result.attempts,
      errorSamples: result.errorSamples,
      stoppedByDeadline: result.stoppedByDeadline,
      doubleClaims: doubled.size,
      claimEventMismatches: mismatches.length,
      unclaimedTasks: open?.n ?? 0,
      bulkPostTasksPerSecond: Math.round(taskIds.length / bulkSeconds),
      claimsPerSecondBy5s: perWindow(windows, durationS),
      serverEventLoopUtilization: Math.round(serverElu * 1000) / 1000,
      ...(appCpu !== undefined ? { appCpuMsPerAttempt: appCpu } : {}),
      ...(otherThreadsCpu !== undefined ? { otherThreadsCpuMsPerAttempt: otherThreadsCpu } : {}),
      ...(postgresCpu !== undefined ? { postgresCpuMsPerAttempt: postgresCpu } : {}),
      // Counted in this process only: with other instances the count would be a part of the whole.
      ...(driver === 'postgres' && instances === 1 && result.attempts > 0 ? { statementsPerAttempt: Math.round((statementCount / result.attempts) * 100) / 100 } : {}),
      ...(claimStatements > 0 ? { claimsPerStatement: Math.round(((batchesAfter.claims - batchesBefore.claims) / claimStatements) * 10) / 10 } : {}),
      reference,
    };
  } finally {
    await Promise.all(others.map((o) => o.stop()));
    if (running) await running.stop().catch((err: unknown) => log(`  stopping the app failed: ${message(err)}`));
    if (database) {
      const { name } = database;
      await dropBenchDatabase(name).catch((err: unknown) => log(`  could not drop ${name}: ${message(err)}`));
    }
    removeDataDir(dataDir);
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

function withGoal(r: DriverResult): DriverResult {
  if (r.driver !== 'postgres') return r;
  const claimsPerSecond = r.claimsPerSecond >= GOAL.claimsPerSecond;
  const p99 = r.latencyMs.p99 < GOAL.p99Ms;
  const doubleClaims = r.doubleClaims === 0;
  return { ...r, goal: { claimsPerSecond, p99, doubleClaims, pass: claimsPerSecond && p99 && doubleClaims } };
}

const mark = (ok: boolean) => (ok ? 'pass' : 'FAIL');

function goalVerdict(results: DriverResult[]): string {
  const pg = results.find((r) => r.driver === 'postgres');
  if (!pg?.goal) return `${GOAL_LINE}: not measured (no PostgreSQL run)`;
  const g = pg.goal;
  return `${GOAL_LINE}: ${g.pass ? 'PASS' : 'FAIL'} (claims/s ${pg.claimsPerSecond} ${mark(g.claimsPerSecond)}, p99 ${pg.latencyMs.p99} ms ${mark(g.p99)}, double claims ${pg.doubleClaims} ${mark(g.doubleClaims)})`;
}

function referenceLine(f: ReferenceFigures): string {
  const sqlPart = f.statementsPerRequest === undefined ? '' : `, ${f.statementsPerRequest} SQL statements per request`;
  const errorPart = f.errors > 0 ? `, ${f.errors} unexpected answers` : '';
  const cpuPart = f.appCpuMsPerRequest === undefined ? '' : `, app thread CPU ${f.appCpuMsPerRequest} ms per request`;
  return `${f.request} (${f.cost}): ${f.requestsPerSecond} requests/s, p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, server event loop busy ${(f.serverEventLoopUtilization * 100).toFixed(0)}%${cpuPart}${sqlPart}${errorPart}`;
}

const ME = 'GET /api/v1/me';

/** The claim requests' rate as a share of GET /api/v1/me's, the ceiling it cannot pass. */
function shareOfMe(r: DriverResult): string | undefined {
  const me = r.reference.find((f) => f.request === ME);
  if (!me || me.requestsPerSecond === 0) return undefined;
  return `claim requests/s ${r.attemptsPerSecond} = ${Math.round((r.attemptsPerSecond / me.requestsPerSecond) * 100)}% of ${ME}'s ${me.requestsPerSecond} requests/s (its upper bound on one instance)`;
}

function summary(r: DriverResult): string {
  const share = shareOfMe(r);
  return [
    `  ${r.driver}: ${r.successes} claims in ${r.durationS.toFixed(2)} s`,
    `    claims/s ${r.claimsPerSecond}, attempts/s ${r.attemptsPerSecond}`,
    `    latency (all claims) p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `    latency 200 p50 ${r.successLatencyMs.p50} / p99 ${r.successLatencyMs.p99} ms; 409 p50 ${r.conflictLatencyMs.p50} / p99 ${r.conflictLatencyMs.p99} ms`,
    `    successes ${r.successes}, conflicts ${r.conflicts}, errors ${r.errors} (${(r.errorRate * 100).toFixed(2)}%)`,
    `    double claims ${r.doubleClaims}, claim-event mismatches ${r.claimEventMismatches}, unclaimed ${r.unclaimedTasks}${r.stoppedByDeadline ? ' (stopped at the time limit)' : ''}`,
    `    claims/s by 5 s window: ${r.claimsPerSecondBy5s.join(' ')}`,
    `    server event loop busy ${(r.serverEventLoopUtilization * 100).toFixed(0)}% of the time${r.statementsPerAttempt === undefined ? '' : `, ${r.statementsPerAttempt} SQL statements per attempt`}, ${r.claimsPerStatement ?? 'n/a'} claims per claim statement`,
    `    CPU per attempt: app thread ${r.appCpuMsPerAttempt ?? 'n/a'} ms, PostgreSQL ${r.postgresCpuMsPerAttempt ?? 'n/a'} ms, clients and Node's other threads ${r.otherThreadsCpuMsPerAttempt ?? 'n/a'} ms`,
    ...r.errorSamples.map((s) => `    error sample: ${s}`),
    ...r.reference.map((f) => `    reference ${referenceLine(f)}`),
    ...(share ? [`    ${share}`] : []),
  ].join('\n');
}

function markdown(results: DriverResult[], skipped: string[]): string {
  const first = results[0];
  const cols = results.map((r) => r.driver);
  const row = (label: string, value: (r: DriverResult) => string | number) => `| ${label} | ${results.map((r) => String(value(r))).join(' | ')} |`;
  const lines = [
    '# Claim benchmark',
    '',
    `${first ? first.date : new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'}) · ${settings.clients} clients over real HTTP (keep-alive), clients run in: ${first?.clientsIn ?? 'worker thread'}`,
    '',
    `Every task is attempted once, as clerks each take a different task off the board, and ${settings.racedPercent}% of them a second time by another client 1–2×clients attempts later, as when two clerks click the same task: those race, and the loser gets 409. \`BENCH_RACED_PERCENT=100\` races every task.`,
    'Latencies are over every claim request (200 and 409), measured by the client from request to the end of the answer.',
    '',
    `**${goalVerdict(results)}**`,
    '',
  ];
  if (results.length > 0) {
    lines.push(
      `| | ${cols.join(' | ')} |`,
      `|---|${cols.map(() => '---').join('|')}|`,
      row('tasks', (r) => r.tasks),
      row('tasks raced by two clients', (r) => r.racedTasks),
      row('clients', (r) => r.clients),
      row('app instances', (r) => r.instances),
      row('duration (s)', (r) => r.durationS.toFixed(2)),
      row('claims/s (successful)', (r) => r.claimsPerSecond),
      row('attempts/s', (r) => r.attemptsPerSecond),
      row('p50 latency (ms)', (r) => r.latencyMs.p50),
      row('p99 latency (ms)', (r) => r.latencyMs.p99),
      row('max latency (ms)', (r) => r.latencyMs.max),
      row('p50 / p99 of 200 (ms)', (r) => `${r.successLatencyMs.p50} / ${r.successLatencyMs.p99}`),
      row('p50 / p99 of 409 (ms)', (r) => `${r.conflictLatencyMs.p50} / ${r.conflictLatencyMs.p99}`),
      row('successes', (r) => r.successes),
      row('conflicts (409)', (r) => r.conflicts),
      row('errors', (r) => `${r.errors} (${(r.errorRate * 100).toFixed(2)}%)`),
      row('double claims', (r) => r.doubleClaims),
      row('claim-event mismatches', (r) => r.claimEventMismatches),
      row('unclaimed tasks', (r) => r.unclaimedTasks),
      row('bulk post (tasks/s)', (r) => r.bulkPostTasksPerSecond),
      row('server event loop busy', (r) => `${(r.serverEventLoopUtilization * 100).toFixed(0)}%`),
      row('SQL statements per attempt', (r) => r.statementsPerAttempt ?? 'n/a'),
      row('claims per claim statement (first instance)', (r) => r.claimsPerStatement ?? 'n/a'),
      row('CPU per attempt: app thread (ms)', (r) => r.appCpuMsPerAttempt ?? 'n/a'),
      row('CPU per attempt: PostgreSQL (ms)', (r) => r.postgresCpuMsPerAttempt ?? 'n/a'),
      row('CPU per attempt: clients and Node\'s other threads (ms)', (r) => r.otherThreadsCpuMsPerAttempt ?? 'n/a'),
      row('database', (r) => (r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}, pool ${r.poolSize ?? ''}` : 'PGlite (embedded)')),
      row('ANALYZE before claiming', (r) => (r.analyzedBeforeClaims ? 'yes' : 'no')),
    );
  }
  for (const r of results) {
    if (r.instances > 1) {
      lines.push('', `${r.driver}: ${r.instances} app instances; the event loop figure is the first one's (${(r.serverEventLoopUtilization * 100).toFixed(0)}% busy), and SQL statements are not counted (the other instances run in processes of their own).`);
    } else if (r.appCpuMsPerAttempt !== undefined && r.postgresCpuMsPerAttempt !== undefined && r.otherThreadsCpuMsPerAttempt !== undefined) {
      const cores = (ms: number) => (ms * r.attemptsPerSecond) / 1000;
      const app = cores(r.appCpuMsPerAttempt);
      const pg = cores(r.postgresCpuMsPerAttempt);
      const other = cores(r.otherThreadsCpuMsPerAttempt);
      lines.push('', `${r.driver}: during the claim phase the app's thread used ${app.toFixed(2)} of a core, PostgreSQL ${pg.toFixed(2)}, the clients and Node's other threads ${other.toFixed(2)}: ${(app + pg + other).toFixed(2)} of the machine's ${os.cpus().length} cores, the rest going to the kernel and whatever else runs here. The app's event loop was busy ${(r.serverEventLoopUtilization * 100).toFixed(0)}% of the time, part of it waiting for a core: the rate is bounded by the machine's CPU, shared by all three.`);
    } else if (r.serverEventLoopUtilization >= 0.9) {
      lines.push('', `${r.driver}: the server's event loop was busy ${(r.serverEventLoopUtilization * 100).toFixed(0)}% of the claim phase, so the app's own CPU time (one Node thread) bounds the rate, not the clients${r.driver === 'pglite' ? ' (PGlite runs the database on that same thread)' : ''}.`);
    }
    if (r.stoppedByDeadline) lines.push('', `${r.driver}: the claim phase stopped at the ${settings.maxSeconds} s limit with ${r.unclaimedTasks} task(s) unclaimed.`);
  }
  const measured = results.filter((r) => r.reference.length > 0);
  if (measured.length > 0) {
    const seconds = Math.max(...measured.flatMap((r) => r.reference.map((f) => f.durationS)));
    lines.push(
      '',
      '## Reference: what one instance answers on this machine',
      '',
      `Measured on the same app instance just before its claim phase, with the same ${settings.clients} keep-alive clients (${first?.clientsIn ?? 'worker thread'}), about ${Math.round(seconds)} s per request; each client sends its next request as soon as its last one is answered. The claim row repeats the figures above (all claim requests, 200 and 409).`,
      '',
      '| request | what it costs the app | driver | requests/s | p50 (ms) | p99 (ms) | server event loop busy | app thread CPU per request (ms) | SQL statements per request |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of measured) {
      for (const f of r.reference) {
        lines.push(`| ${f.request} | ${f.cost} | ${r.driver} | ${f.requestsPerSecond} | ${f.latencyMs.p50} | ${f.latencyMs.p99} | ${(f.serverEventLoopUtilization * 100).toFixed(0)}% | ${f.appCpuMsPerRequest ?? 'n/a'} | ${f.statementsPerRequest ?? 'n/a'} |`);
      }
      lines.push(`| POST /api/v1/tasks/:id/claim | the above plus a share of a claim statement (the claims that arrive together go in one) and of the sequencer's run | ${r.driver} | ${r.attemptsPerSecond} | ${r.latencyMs.p50} | ${r.latencyMs.p99} | ${(r.serverEventLoopUtilization * 100).toFixed(0)}% | ${r.appCpuMsPerAttempt ?? 'n/a'} | ${r.statementsPerAttempt ?? 'n/a'} |`);
    }
    lines.push(
      '',
      `A claim request costs what \`${ME}\` costs (Express, the session, passport) plus a share of one SQL round trip (the claims that arrive together share one claim statement) plus a share of the sequencer's run, so \`${ME}\`'s rate is an upper bound for claim requests/s (200 and 409 alike) on one instance.`,
    );
    for (const r of measured) {
      const share = shareOfMe(r);
      if (share) lines.push('', `${r.driver}: ${share}.`);
      for (const f of r.reference) {
        if (f.errors > 0) lines.push('', `${r.driver}: ${f.request} had ${f.errors} unexpected answer(s) out of ${f.requests}, e.g. ${f.errorSamples[0] ?? ''}`);
      }
    }
  }
  for (const s of skipped) lines.push('', `Skipped: ${s}`);
  lines.push('', 'Run with `npm run bench`; see bench/claims.ts for the settings (BENCH_* variables).', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  log(`Claim benchmark · Node ${process.version} · ${os.cpus().length} CPU · ${settings.clients} clients · ${settings.racedPercent}% of the tasks raced`);
  const restoreClient = countStatements();
  const results: DriverResult[] = [];
  const skipped: string[] = [];
  let failed = false;
  for (const driver of settings.drivers) {
    if (driver === 'postgres') {
      const problem = await postgresAnswers();
      if (problem) {
        const note = `PostgreSQL at ${safeAdminUrl()} does not answer (${problem}): running PGlite only.`;
        log(note);
        skipped.push(note);
        continue;
      }
    }
    log(`\n${driver}: ${settings.tasks[driver]} tasks`);
    try {
      const r = withGoal(await benchDriver(driver));
      results.push(r);
      log(summary(r));
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(path.join(resultsDir, `claims-${driver}.json`), `${JSON.stringify({ ...r, goalLine: GOAL_LINE }, null, 2)}\n`);
      if (r.doubleClaims > 0 || r.claimEventMismatches > 0) {
        log(`  ${driver}: a task was claimed twice or its claim events are wrong`);
        failed = true;
      }
      if (r.errorRate > 0.01) {
        log(`  ${driver}: more than 1% of the claim requests failed`);
        failed = true;
      }
    } catch (err) {
      log(`  ${driver} run failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      skipped.push(`${driver}: the run failed (${message(err)})`);
      failed = true;
    }
  }
  restoreClient();
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'claims.md'), markdown(results, skipped));
  log(`\n${goalVerdict(results)}`);
  log(`results: ${path.relative(process.cwd(), resultsDir)}/claims.md${results.map((r) => `, claims-${r.driver}.json`).join('')}`);
  return failed ? 1 : 0;
}

// Bounded: whatever happens, the process ends, dropping its databases first.
const watchdogMs = (settings.maxSeconds * 2 + settings.referenceSeconds * 4 + 600) * 1000 * Math.max(1, settings.drivers.length);
const watchdog = setTimeout(() => abandon(`benchmark still running after ${Math.round(watchdogMs / 1000)} s`, 1, 'bench databases'), watchdogMs);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => abandon(signal, 130, 'bench databases'));
}

main().then(
  async (code) => {
    await cleanUp();
    exitWith(code);
  },
  exitOnError,
);
