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
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { events, tasks, type UserRow } from '../server/db/schema';
import type { Running } from '../server/server';
import {
  abandon,
  benchConfig,
  benchRegion,
  cleanUp,
  createBenchDatabase,
  dropBenchDatabase,
  exitOnError,
  exitWith,
  driversEnv,
  intEnv,
  log,
  login,
  machine,
  makeDataDir,
  message,
  postgresAnswers,
  postTasks,
  removeDataDir,
  resultsDir,
  safeAdminUrl,
  startApp,
  startInstanceProcess,
  startWorker,
  cpuSnapshot,
  type BenchDatabase,
  type CpuSnapshot,
  type InstanceProcess,
  type Driver,
} from './bench-support';
import { claimBatches, countStatements, startProfiler, statements } from './app-probes';
import {
  attemptOrder,
  runClaims,
  runReference,
  type ClaimJob,
  type ClaimResult,
  type Job,
  type ReferenceJob,
  type ReferenceResult,
} from './claim-clients';
import {
  GOAL_LINE,
  claimLatency,
  goalVerdict,
  markdown,
  perWindow,
  referenceLine,
  summary,
  withGoal,
  type DriverResult,
  type ReferenceFigures,
} from './claims-report';

const env = process.env;

const settings = {
  drivers: driversEnv(),
  tasks: { postgres: intEnv('BENCH_TASKS_PG', 15_000), pglite: intEnv('BENCH_TASKS_PGLITE', 3_000) } satisfies Record<
    Driver,
    number
  >,
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

// ---------------------------------------------------------------------------------------------
// One run

/** Runs a phase's clients in a worker thread (or inline with BENCH_CLIENTS_INLINE=true). */
function runPhase(job: ClaimJob): Promise<ClaimResult>;
function runPhase(job: ReferenceJob): Promise<ReferenceResult>;
async function runPhase(job: Job): Promise<ClaimResult | ReferenceResult> {
  if (settings.clientsInline) return job.kind === 'claim-job' ? runClaims(job) : runReference(job);
  const worker = startWorker('claim-clients.ts', job);
  try {
    return await new Promise<ClaimResult | ReferenceResult>((resolve, reject) => {
      worker.once('message', (message: unknown) => {
        if (typeof message === 'object' && message !== null && 'failed' in message)
          reject(new Error(`${job.kind} worker failed: ${String(message.failed)}`));
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
    const storage = driver === 'pglite' ? `, ${config.dataDir}` : `, pool ${config.databasePoolSize}`;
    log(`  app listening at ${running.url} (${running.database.driver}${storage})`);
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
    const post = (count: number, label: string): Promise<string[]> =>
      postTasks(base, managerCookie, count, label, 120_000);
    const warmupIds = await post(settings.warmup, 'Warm-up');
    const postStart = performance.now();
    const taskIds = await post(taskCount, 'Bench');
    const bulkSeconds = (performance.now() - postStart) / 1000;
    log(
      `  posted ${taskIds.length} tasks in ${bulkSeconds.toFixed(1)} s ` +
        `(${Math.round(taskIds.length / bulkSeconds)} tasks/s), plus ${warmupIds.length} for the warm-up`,
    );

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
        ...(cpuAtStart && cpuAtEnd && r.requests > 0
          ? { appCpuMsPerRequest: Math.round(((cpuAtEnd.appMs - cpuAtStart.appMs) / r.requests) * 1000) / 1000 }
          : {}),
        ...(driver === 'postgres' && r.requests > 0
          ? { statementsPerRequest: Math.round((statementCount / r.requests) * 100) / 100 }
          : {}),
      };
      reference.push(figures);
      log(`  reference ${referenceLine(figures)}`);
      for (const sample of r.errorSamples) log(`    unexpected answer: ${sample}`);
    };
    if (settings.referenceSeconds > 0) {
      log(`  reference: ${settings.clients} clients, ${settings.referenceSeconds} s per request...`);
      await measureReference('/healthz', 'no session, no database', []);
      await measureReference(
        '/api/v1/me',
        "a clerk's session: Express, session, passport, the session read (kept in memory for " +
          "SESSION_CACHE_MS), and one prepared query of its own (the account's language, e-mail and latest recovery)",
        clerkCookies,
      );
    }

    const claimJob = job(taskIds, settings.seed);
    const racedTasks = claimJob.order.length - taskIds.length;
    log(
      `  claiming: ${settings.clients} clients, ${claimJob.order.length} attempts ` +
        `(${racedTasks} of the ${taskIds.length} tasks raced by two clients)...`,
    );
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
    const cpuPerAttempt = (pick: (c: CpuSnapshot) => number) =>
      cpuBefore && cpuAfter && result.attempts > 0
        ? Math.round(((pick(cpuAfter) - pick(cpuBefore)) / result.attempts) * 1000) / 1000
        : undefined;
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
    const openWithClaimEvent = sql`${tasks.status} = 'open' and count(${events.id}) <> 0`;
    const claimedWithoutOneClaimEvent = sql`${tasks.status} <> 'open' and count(${events.id}) <> 1`;
    const mismatches = await db
      .select({ id: tasks.id })
      .from(tasks)
      .leftJoin(events, and(eq(events.taskId, tasks.id), eq(events.action, 'claim')))
      .where(eq(tasks.regionId, region.id))
      .groupBy(tasks.id)
      .having(sql`(${openWithClaimEvent}) or (${claimedWithoutOneClaimEvent})`);
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
      ...(driver === 'postgres' && instances === 1 && result.attempts > 0
        ? { statementsPerAttempt: Math.round((statementCount / result.attempts) * 100) / 100 }
        : {}),
      ...(claimStatements > 0
        ? { claimsPerStatement: Math.round(((batchesAfter.claims - batchesBefore.claims) / claimStatements) * 10) / 10 }
        : {}),
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

async function main(): Promise<number> {
  log(
    `Claim benchmark · Node ${process.version} · ${os.cpus().length} CPU · ${settings.clients} clients · ` +
      `${settings.racedPercent}% of the tasks raced`,
  );
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
      fs.writeFileSync(
        path.join(resultsDir, `claims-${driver}.json`),
        `${JSON.stringify({ ...r, goalLine: GOAL_LINE }, null, 2)}\n`,
      );
      if (r.doubleClaims > 0 || r.claimEventMismatches > 0) {
        log(`  ${driver}: a task was claimed twice or its claim events are wrong`);
        failed = true;
      }
      if (r.errorRate > 0.01) {
        log(`  ${driver}: more than 1% of the claim requests failed`);
        failed = true;
      }
    } catch (err) {
      log(`  ${driver} run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      skipped.push(`${driver}: the run failed (${message(err)})`);
      failed = true;
    }
  }
  restoreClient();
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'claims.md'), markdown(results, skipped, settings));
  log(`\n${goalVerdict(results)}`);
  log(
    `results: ${path.relative(process.cwd(), resultsDir)}/claims.md` +
      results.map((r) => `, claims-${r.driver}.json`).join(''),
  );
  return failed ? 1 : 0;
}

// Bounded: whatever happens, the process ends, dropping its databases first.
const watchdogMs =
  (settings.maxSeconds * 2 + settings.referenceSeconds * 4 + 600) * 1000 * Math.max(1, settings.drivers.length);
const watchdog = setTimeout(
  () => abandon(`benchmark still running after ${Math.round(watchdogMs / 1000)} s`, 1, 'bench databases'),
  watchdogMs,
);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => abandon(signal, 130, 'bench databases'));
}

main().then(async (code) => {
  await cleanUp();
  exitWith(code);
}, exitOnError);
