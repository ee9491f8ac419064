/**
 * Board-under-readers benchmark: claims per second on a crisis-sized board while it is read live.
 * One app instance, on server PostgreSQL and then on the embedded PGlite, a region with N open tasks
 * (bulk SQL, as bench/board.ts writes them); first a baseline of claims with nobody watching, then
 * the same number of claims while S live-board sockets, each signed in with a clerk's session, read
 * the board as the browser's board does (bench/board-readers.ts): the counts and first page on
 * connecting, every event pushed to each of them, the counts again once events pause for a second
 * and on the clock's half-minutes (the phase with readers starts 5 s before one). At the end, each
 * socket must have received every claim's event of its phase.
 *
 *   npm run bench                    (after the board benchmark)
 *   npx tsx bench/board-sockets.ts   (alone)
 *
 * Environment (all optional):
 *   BENCH_DRIVERS                 which runs, in order (default "postgres,pglite")
 *   BENCH_DATABASE_URL            admin connection to PostgreSQL (default postgres://postgres@127.0.0.1:5432/postgres);
 *                                 a fresh database entraide_readers_<random> is made and dropped at the end
 *   BENCH_READERS_TASKS           open tasks on the board, PostgreSQL (default 100000)
 *   BENCH_READERS_PGLITE_TASKS    open tasks on the board, PGlite (default 20000, the issue's size for it)
 *   BENCH_READERS_SOCKETS         live-board sockets reading it (default 200)
 *   BENCH_READERS_CLAIMS          claims in each phase, PostgreSQL (default 30000)
 *   BENCH_READERS_PGLITE_CLAIMS   claims in each phase, PGlite (default 10000: the two phases take all 20,000 tasks)
 *   BENCH_READERS_CLIENTS         concurrent claiming clients (default 50, as the claim benchmark)
 *   BENCH_READERS_CLERKS          clerks, each of a helping commune, whose sessions claim and read (default 10)
 *   BENCH_CPU_PROFILE             a path: the app thread's CPU profile of the phase with readers, in <path>.<driver>
 *   BENCH_READERS_PROFILE         a path: the readers' worker's CPU profile, from their connecting to their stop
 *   BENCH_READERS_MAX_S           a phase stops taking claims after this (default 120)
 *
 * Writes bench/results/board-sockets.md and board-sockets.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from '../server/db/client';
import {
  benchConfig,
  benchPasswordHash,
  benchRegion,
  cleanUp,
  cpuSnapshot,
  createBenchDatabase,
  dropBenchDatabase,
  exitOnError,
  exitWith,
  driversEnv,
  intEnv,
  latency,
  log,
  login,
  machine,
  makeDataDir,
  removeDataDir,
  resultsDir,
  startApp,
  startWorker,
  type CpuSnapshot,
  type Driver,
  type Latency,
} from './bench-support';
import { nextMultipleAfter } from '../client/src/realtime/on-the-clock';
import { startProfiler } from './app-probes';
import { seedTasks } from './board';
import type { ReadersJob, ReadersStop, FromReaders } from './board-readers';
import { attemptOrder, type ClaimJob, type ClaimResult } from './claim-clients';

const settings = {
  drivers: driversEnv(),
  tasks: {
    postgres: intEnv('BENCH_READERS_TASKS', 100_000),
    pglite: intEnv('BENCH_READERS_PGLITE_TASKS', 20_000),
  } satisfies Record<Driver, number>,
  sockets: intEnv('BENCH_READERS_SOCKETS', 200),
  claims: {
    postgres: intEnv('BENCH_READERS_CLAIMS', 30_000),
    pglite: intEnv('BENCH_READERS_PGLITE_CLAIMS', 10_000),
  } satisfies Record<Driver, number>,
  clients: intEnv('BENCH_READERS_CLIENTS', 50),
  clerks: intEnv('BENCH_READERS_CLERKS', 10),
  maxS: intEnv('BENCH_READERS_MAX_S', 120),
};

interface Phase {
  name: string;
  claims: number;
  won: number;
  failed: number;
  seconds: number;
  claimsPerSecond: number;
  latency: Latency;
  errorSamples: string[];
  /** CPU per claim won (ms): the app's thread, PostgreSQL, and the rest of the process (the clients' and readers' workers, GC). */
  cpuPerClaim?: { app: number; postgres: number; workers: number };
  /** How busy the app's event loop was during the phase (0–1). */
  appLoopBusy: number;
}

async function claimPhase(name: string, url: string, cookies: string[], taskIds: string[]): Promise<Phase> {
  const job: ClaimJob = {
    kind: 'claim-job',
    urls: [url],
    cookies,
    clients: settings.clients,
    taskIds,
    order: attemptOrder(taskIds.length, settings.clients, 7, 0),
    maxMs: settings.maxS * 1000,
    requestTimeoutMs: 30_000,
  };
  const worker = startWorker('claim-clients.ts', job);
  const cpuBefore = cpuSnapshot();
  const loop = performance.eventLoopUtilization();
  try {
    const result = await new Promise<ClaimResult>((resolve, reject) => {
      worker.once('message', (message: unknown) => {
        if (typeof message === 'object' && message !== null && 'failed' in message)
          reject(new Error(`claim worker failed: ${String(message.failed)}`));
        else resolve(message as ClaimResult);
      });
      worker.once('error', reject);
    });
    const won = result.status.filter((s) => s === 200).length;
    const seconds = result.durationMs / 1000;
    const cpuAfter = cpuSnapshot();
    const perClaim = (pick: (c: CpuSnapshot) => number) =>
      cpuBefore && cpuAfter && won > 0 ? Math.round(((pick(cpuAfter) - pick(cpuBefore)) / won) * 1000) / 1000 : 0;
    const phase = {
      name,
      claims: result.attempts,
      won,
      failed: result.attempts - won,
      seconds: Math.round(seconds * 10) / 10,
      claimsPerSecond: Math.round((won / seconds) * 10) / 10,
      latency: latency(result.latencyMs),
      errorSamples: result.errorSamples,
      ...(cpuBefore && cpuAfter
        ? {
            cpuPerClaim: {
              app: perClaim((c) => c.appMs),
              postgres: perClaim((c) => c.postgresMs),
              workers: perClaim((c) => c.processMs - c.appMs),
            },
          }
        : {}),
      appLoopBusy: Math.round(performance.eventLoopUtilization(loop).utilization * 100) / 100,
    };
    log(`${name}: ${phase.claimsPerSecond} claims/s, p50 ${phase.latency.p50} ms, p99 ${phase.latency.p99} ms`);
    return phase;
  } finally {
    await worker.terminate();
  }
}

/**
 * Waits until `leadMs` before the clock's next half-minute (a little more than 30 s at most): the boards
 * re-read their counts together on the half-minutes, so a phase that starts then includes those reads
 * however short it is, rather than by chance.
 */
async function untilBeforeHalfMinute(leadMs: number): Promise<void> {
  const period = 30_000;
  const now = Date.now();
  let start = nextMultipleAfter(now, period) - leadMs;
  if (start < now) start += period;
  await new Promise((resolve) => setTimeout(resolve, start - now));
}

/** The readers' worker: resolves once every socket has connected (or failed), then on `stop` with its figures. */
function startReaders(job: ReadersJob) {
  const worker = startWorker('board-readers.ts', job);
  const next = <T extends FromReaders['type']>(type: T) =>
    new Promise<Extract<FromReaders, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromReaders) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        resolve(message as Extract<FromReaders, { type: T }>);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const connected = next('connected');
  return {
    connected,
    stop: async (expected: number) => {
      const stopped = next('stopped');
      worker.postMessage({ expected } satisfies ReadersStop);
      const result = await stopped;
      await worker.terminate();
      return result;
    },
  };
}

/**
 * The goal: claims while the board is read live stay within 10 % of the claims with nobody watching;
 * on PGlite, whose goals are twice PostgreSQL's times, within 20 %.
 */
function readersGoal(driver: Driver, phases: Phase[]): string {
  const [alone, watched] = phases;
  if (!alone || !watched || alone.claimsPerSecond === 0) return '';
  const ratio = watched.claimsPerSecond / alone.claimsPerSecond;
  const goal = driver === 'postgres' ? 0.9 : 0.8;
  return `Goal: claims/s while read live >= ${goal * 100} % of claims/s with nobody watching: ${Math.round(ratio * 100)} %, **${
    ratio >= goal ? 'pass' : 'FAIL'
  }**`;
}

interface DriverRun {
  driver: Driver;
  /** The server's version, or "embedded" for PGlite. */
  database: string;
  tasks: number;
  claims: number;
  seedSeconds: number;
  phases: Phase[];
  reads: Latency;
  readCount: number;
  retried: number;
  events: number;
  perSocket: { fewest: number; most: number };
  drainMs: number;
  connected: number;
  failures: string[];
}

function section(run: DriverRun): string {
  const rows = run.phases.map(
    (p) =>
      `| ${p.name} | ${p.won} of ${p.claims} | ${p.seconds} | **${p.claimsPerSecond}** | ${p.latency.p50} | ${p.latency.p99} | ${
        p.cpuPerClaim
          ? `${p.cpuPerClaim.app} / ${run.driver === 'postgres' ? p.cpuPerClaim.postgres : '–'} / ${p.cpuPerClaim.workers}`
          : '–'
      } | ${Math.round(p.appLoopBusy * 100)} % |`,
  );
  const name =
    run.driver === 'postgres' ? `PostgreSQL ${run.database}` : 'PGlite (embedded: the database runs on the app thread)';
  return `## ${name}, ${run.tasks.toLocaleString('en')} open tasks

One region with ${run.tasks.toLocaleString('en')} open tasks posted by one commune (bulk SQL, ${run.seedSeconds} s); ${run.claims.toLocaleString('en')} claims a phase.

| phase | claims won | seconds | claims/s | claim p50 (ms) | claim p99 (ms) | CPU per claim (ms): app thread / PostgreSQL / clients' and readers' workers | app event loop busy |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${readersGoal(run.driver, run.phases)}

Readers: ${run.events.toLocaleString('en')} task events received, each socket ${run.perSocket.fewest.toLocaleString('en')} to ${run.perSocket.most.toLocaleString('en')}
for the phase's ${run.phases[1]?.won.toLocaleString('en') ?? 0} claims (the last ${run.drainMs} ms after its last claim was answered);
${run.readCount.toLocaleString('en')} reads (first page + counts on connecting, then counts), p50 ${run.reads.p50} ms, p99 ${run.reads.p99} ms,
as the readers' worker saw them (its own event loop, receiving every socket's events, is part of that time);
${run.retried} sent again, as a browser does, after the server had closed the kept-alive connection they went out on.${run.failures.length > 0 ? `\n\nFailures: ${run.failures.join('; ')}` : ''}
`;
}

function report(runs: DriverRun[]): string {
  const m = machine();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
  return `# Claims on a board read live

${m.date} · Node ${m.node} · ${m.cpus} CPU (${m.cpuModel}) · load average ${load} at the end

One app instance. ${settings.clients} clients claim tasks for ${settings.clerks} clerks of other communes: first with
nobody watching, then while ${settings.sockets} live-board sockets (clerk sessions) read the board as the
browser's board does: the counts and the Open column's first page on connecting, then every event pushed to each socket
(the cards are placed from the events), and the counts read again once events pause for a second and on the clock's half-minutes
(the phase with readers starts 5 s before one, so it includes those reads).
The readers stand for browsers on their own devices, yet share this machine's cores with the server: they speak
Engine.IO and Socket.IO's protocol over \`ws\` and tell a task event by its first bytes, without decoding its card.

${runs.map(section).join('\n')}`;
}

/**
 * The region: the stricken commune's `tasks` open tasks and the helping communes' clerks; returns the
 * clerks' usernames and `pick` open tasks in random order, for the two phases to claim.
 */
async function seedBoard(db: Executor, driver: Driver, tasks: number, pick: number) {
  const bench = await benchRegion(db, 'Bench readers region');
  const stricken = await bench.commune('62063', 'Liège', 0);
  const hash = await benchPasswordHash();
  const clerks: string[] = [];
  for (let i = 0; i < settings.clerks; i++) {
    const commune = await bench.commune(String(92000 + i), `Helper ${i}`, i + 1);
    await bench.user(`readers.clerk${i}`, 'clerk', commune.id, hash);
    clerks.push(`readers.clerk${i}`);
  }
  log(`${driver}: seeding ${tasks} open tasks`);
  const seedStart = performance.now();
  await seedTasks(db, bench.region.id, stricken.id, stricken.taskCodePrefix, tasks);
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
  const picked = await db.execute(sql`select id from tasks where status = 'open' order by random() limit ${pick}`);
  const ids = (picked as { rows: { id: string }[] }).rows.map((r) => r.id);
  return { clerks, ids, seedSeconds };
}

async function runDriver(driver: Driver): Promise<DriverRun> {
  const tasks = settings.tasks[driver];
  const claims = settings.claims[driver];
  const database = driver === 'postgres' ? await createBenchDatabase('entraide_readers_') : undefined;
  const dataDir = makeDataDir('entraide-readers-');
  const running = await startApp(benchConfig({ dataDir, databaseUrl: database?.url }));
  try {
    const { clerks, ids, seedSeconds } = await seedBoard(running.database.db, driver, tasks, 2 * claims);
    const base = new URL(running.url);
    const cookies = await Promise.all(clerks.map((username) => login(base, username)));

    const alone = await claimPhase('claims, nobody watching', running.url, cookies, ids.slice(0, claims));
    log(`${driver}: opening ${settings.sockets} live-board sockets`);
    const readers = startReaders({
      kind: 'board-readers',
      url: running.url,
      cookies,
      sockets: settings.sockets,
      connectBatch: 50,
      connectTimeoutMs: 20_000,
      drainTimeoutMs: 30_000,
    });
    const connected = await readers.connected;
    await untilBeforeHalfMinute(5000);
    const profiler = process.env.BENCH_CPU_PROFILE ? await startProfiler() : undefined;
    const watched = await claimPhase(
      `claims, ${connected.connected} sockets reading`,
      running.url,
      cookies,
      ids.slice(claims),
    );
    if (profiler && process.env.BENCH_CPU_PROFILE)
      await profiler.stopInto(`${process.env.BENCH_CPU_PROFILE}.${driver}`);
    const stopped = await readers.stop(watched.won);
    return {
      driver,
      database: database?.version ?? 'embedded',
      tasks,
      claims,
      seedSeconds,
      phases: [alone, watched],
      reads: latency(stopped.readMs),
      readCount: stopped.readMs.length,
      retried: stopped.retried,
      events: stopped.events,
      perSocket: stopped.perSocket,
      drainMs: Math.round(stopped.drainMs),
      connected: connected.connected,
      failures: [...connected.failures, ...stopped.failures],
    };
  } finally {
    await running.stop();
    removeDataDir(dataDir);
    if (database) await dropBenchDatabase(database.name);
  }
}

async function main(): Promise<void> {
  try {
    const runs: DriverRun[] = [];
    for (const driver of settings.drivers) runs.push(await runDriver(driver));
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'board-sockets.json'),
      `${JSON.stringify({ machine: machine(), settings, runs }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(resultsDir, 'board-sockets.md'), report(runs));
    log(report(runs));
    const ok = runs.every(
      (run) =>
        run.phases.every((p) => p.failed === 0) && run.failures.length === 0 && run.connected === settings.sockets,
    );
    exitWith(ok ? 0 : 1);
  } finally {
    await cleanUp();
  }
}

main().catch(exitOnError);
