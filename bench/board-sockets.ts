/**
 * Board-under-readers benchmark: claims per second on a crisis-sized board while it is read live.
 * One app instance on server PostgreSQL, a region with N open tasks (bulk SQL, as bench/board.ts
 * writes them); first a baseline of claims with nobody watching, then the same number of claims
 * while S live-board sockets, each signed in with a clerk's session, read the board as the browser's
 * board does (bench/board-readers.ts): the counts and first page on connecting, every event pushed
 * to each of them, the counts again once events pause for a second and every 30 s.
 *
 *   npm run bench                    (after the board benchmark)
 *   npx tsx bench/board-sockets.ts   (alone)
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL            admin connection to PostgreSQL (default postgres://postgres@127.0.0.1:5432/postgres);
 *                                 a fresh database entraide_readers_<random> is made and dropped at the end
 *   BENCH_READERS_TASKS           open tasks on the board (default 100000)
 *   BENCH_READERS_SOCKETS         live-board sockets reading it (default 200)
 *   BENCH_READERS_CLAIMS          claims in each phase (default 30000)
 *   BENCH_READERS_CLIENTS         concurrent claiming clients (default 50, as the claim benchmark)
 *   BENCH_READERS_CLERKS          clerks, each of a helping commune, whose sessions claim and read (default 10)
 *   BENCH_CPU_PROFILE             a file: the app thread's CPU profile of the phase with readers
 *   BENCH_READERS_MAX_S           a phase stops taking claims after this (default 120)
 *
 * Writes bench/results/board-sockets.md and board-sockets.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
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
  type Latency,
} from './bench-support';
import { startProfiler } from './app-probes';
import { seedTasks } from './board';
import type { ReadersJob, FromReaders } from './board-readers';
import { attemptOrder, type ClaimJob, type ClaimResult } from './claim-clients';

const settings = {
  tasks: intEnv('BENCH_READERS_TASKS', 100_000),
  sockets: intEnv('BENCH_READERS_SOCKETS', 200),
  claims: intEnv('BENCH_READERS_CLAIMS', 30_000),
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
    stop: async () => {
      const stopped = next('stopped');
      worker.postMessage({ type: 'stop' });
      const result = await stopped;
      await worker.terminate();
      return result;
    },
  };
}

/** The goal: claims while the board is read live stay within 10 % of the claims with nobody watching. */
function readersGoal(phases: Phase[]): string {
  const [alone, watched] = phases;
  if (!alone || !watched || alone.claimsPerSecond === 0) return '';
  const ratio = watched.claimsPerSecond / alone.claimsPerSecond;
  return `Goal: claims/s while read live >= 90 % of claims/s with nobody watching: ${Math.round(ratio * 100)} %, **${
    ratio >= 0.9 ? 'pass' : 'FAIL'
  }**`;
}

function report(info: {
  phases: Phase[];
  reads: Latency;
  readCount: number;
  retried: number;
  events: number;
  connected: number;
  postgres: string;
  seedSeconds: number;
}): string {
  const m = machine();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
  const rows = info.phases.map(
    (p) =>
      `| ${p.name} | ${p.won} of ${p.claims} | ${p.seconds} | **${p.claimsPerSecond}** | ${p.latency.p50} | ${p.latency.p99} | ${
        p.cpuPerClaim ? `${p.cpuPerClaim.app} / ${p.cpuPerClaim.postgres} / ${p.cpuPerClaim.workers}` : '–'
      } | ${Math.round(p.appLoopBusy * 100)} % |`,
  );
  return `# Claims on a board read live

${m.date} · Node ${m.node} · ${m.cpus} CPU (${m.cpuModel}) · PostgreSQL ${info.postgres} · load average ${load} at the end

One app instance; one region with ${settings.tasks.toLocaleString('en')} open tasks posted by one commune (bulk SQL, ${info.seedSeconds} s);
${settings.clients} clients claim ${settings.claims.toLocaleString('en')} tasks a phase for ${settings.clerks} clerks of other communes. First with
nobody watching, then while ${info.connected} live-board sockets (of ${settings.sockets}; clerk sessions) read the board as the
browser's board does: the counts and the Open column's first page on connecting, then every event pushed to each socket
(the cards are placed from the events), and the counts read again once events pause for a second and every 30 s.

| phase | claims won | seconds | claims/s | claim p50 (ms) | claim p99 (ms) | CPU per claim (ms): app thread / PostgreSQL / clients' and readers' workers | app event loop busy |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${readersGoal(info.phases)}

Readers: ${info.events.toLocaleString('en')} events received, ${info.readCount.toLocaleString('en')} reads (first page + counts on
connecting, then counts), p50 ${info.reads.p50} ms, p99 ${info.reads.p99} ms, as the readers' worker saw them (its own
event loop, busy decoding every socket's events, is part of that time); ${info.retried} sent again, as a browser does, after
the server had closed the kept-alive connection they went out on.
`;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('entraide_readers_');
  const dataDir = makeDataDir('entraide-readers-');
  const running = await startApp(benchConfig({ dataDir, databaseUrl: database.url }));
  try {
    const db = running.database.db;
    const bench = await benchRegion(db, 'Bench readers region');
    const stricken = await bench.commune('62063', 'Liège', 0);
    const hash = await benchPasswordHash();
    const clerks: string[] = [];
    for (let i = 0; i < settings.clerks; i++) {
      const commune = await bench.commune(String(92000 + i), `Helper ${i}`, i + 1);
      await bench.user(`readers.clerk${i}`, 'clerk', commune.id, hash);
      clerks.push(`readers.clerk${i}`);
    }
    log(`seeding ${settings.tasks} open tasks`);
    const seedStart = performance.now();
    await seedTasks(db, bench.region.id, stricken.id, stricken.taskCodePrefix, settings.tasks);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const picked = await db.execute(
      sql`select id from tasks where status = 'open' order by random() limit ${2 * settings.claims}`,
    );
    const ids = (picked as { rows: { id: string }[] }).rows.map((r) => r.id);
    const base = new URL(running.url);
    const cookies = await Promise.all(clerks.map((username) => login(base, username)));

    const alone = await claimPhase('claims, nobody watching', running.url, cookies, ids.slice(0, settings.claims));
    log(`opening ${settings.sockets} live-board sockets`);
    const readers = startReaders({
      kind: 'board-readers',
      url: running.url,
      cookies,
      sockets: settings.sockets,
      connectBatch: 50,
      connectTimeoutMs: 20_000,
    });
    const connected = await readers.connected;
    if (connected.failures.length > 0) log(`socket failures: ${connected.failures.join('; ')}`);
    const profiler = process.env.BENCH_CPU_PROFILE ? await startProfiler() : undefined;
    const watched = await claimPhase(
      `claims, ${connected.connected} sockets reading`,
      running.url,
      cookies,
      ids.slice(settings.claims),
    );
    if (profiler && process.env.BENCH_CPU_PROFILE) await profiler.stopInto(process.env.BENCH_CPU_PROFILE);
    const stopped = await readers.stop();
    if (stopped.failures.length > 0) log(`reader failures: ${stopped.failures.join('; ')}`);
    const info = {
      phases: [alone, watched],
      reads: latency(stopped.readMs),
      readCount: stopped.readMs.length,
      retried: stopped.retried,
      events: stopped.events,
      connected: connected.connected,
      postgres: database.version,
      seedSeconds,
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'board-sockets.json'),
      `${JSON.stringify({ machine: machine(), settings, ...info }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(resultsDir, 'board-sockets.md'), report(info));
    log(report(info));
    const ok = [alone, watched].every((p) => p.failed === 0) && stopped.failures.length === 0;
    exitWith(ok && connected.connected === settings.sockets ? 0 : 1);
  } finally {
    await running.stop();
    removeDataDir(dataDir);
    await dropBenchDatabase(database.name);
    await cleanUp();
  }
}

main().catch(exitOnError);
