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
import type { Running } from '../server/server';
import {
  abandon as abandonRun,
  benchConfig,
  benchPasswordHash,
  benchRegion,
  cleanUp,
  createBenchDatabase,
  exitOnError,
  exitWith,
  intEnv,
  latency,
  log,
  login,
  machine,
  makeDataDir,
  message,
  postgresAnswers,
  postTasks,
  resultsDir,
  safeAdminUrl,
  startApp,
  type Driver,
} from './bench-support';
import { clock, type ClaimerJob, type SocketsJob } from './fanout-clients';
import {
  WorkerLink,
  clockOffset,
  cpuSample,
  cpuSince,
  fanoutsByEvent,
  memorySnapshot,
  sumCounts,
  timeFanouts,
  watchQueues,
  type Fanout,
} from './fanout-probes';
import { GOAL, goalLine, markdown, mb, summary, verdict } from './fanout-report';
import type { FanoutResult, MemorySnapshot } from './fanout-result';

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

const GOAL_LINE = goalLine(settings.sockets);

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// The run

async function run(): Promise<FanoutResult> {
  const notes: string[] = [];
  const loadAverage = os.loadavg()[0] ?? 0;
  const problem = await postgresAnswers();
  let driver: Driver = 'postgres';
  if (problem) {
    const note =
      `PostgreSQL at ${safeAdminUrl()} does not answer (${problem}): ` +
      `running on PGlite instead, which runs the database on the server's own thread.`;
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
    log(
      `app listening at ${app.url} ` +
        `(${app.database.driver}${driver === 'postgres' ? `, pool ${config.databasePoolSize}` : ''})`,
    );

    // One region: the requesting commune, the watching clerks' communes, and the claimer's.
    const { commune, user: addUser } = await benchRegion(db, 'Fan-out region');
    const passwordHash = await benchPasswordHash();
    const user = (username: string, role: 'manager' | 'clerk', communeId: string) =>
      addUser(username, role, communeId, passwordHash);
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
      const job: SocketsJob = {
        kind: 'fanout-sockets',
        url: app.url,
        cookies,
        batchSize: settings.connectBatch,
        connectTimeoutMs: 20_000,
      };
      links.push(new WorkerLink(`sockets worker ${w + 1}`, job));
    }
    const claimerJob: ClaimerJob = {
      kind: 'fanout-claimer',
      url: app.url,
      cookie: claimerCookie,
      requestTimeoutMs: 10_000,
    };
    const claimerLink = new WorkerLink('claimer worker', claimerJob);
    const all = [...links, claimerLink];
    await Promise.all(all.map((l) => l.ask(undefined, 'ready', 30_000)));
    const offsets: { offsetMs: number; roundTripMs: number }[] = [];
    for (const l of all) offsets.push(await clockOffset(l));
    log(
      `workers ready: ${links.length} sockets worker(s) and a claimer; ` +
        `clock offsets ${offsets.map((o) => `${o.offsetMs} ms (round trip ${o.roundTripMs} ms)`).join(', ')}`,
    );

    const snapshots: MemorySnapshot[] = [];
    const snap = async (label: string) => {
      const s = await memorySnapshot(label, links);
      snapshots.push(s);
      log(
        `memory ${label}: RSS ${mb(s.rssBytes)}, ` +
          `server heap used ${mb(s.serverHeapUsedBytes)} (total ${mb(s.serverHeapTotalBytes)}), ` +
          `socket workers' heap used ${mb(s.workersHeapUsedBytes)} (total ${mb(s.workersHeapTotalBytes)})`,
      );
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
    log(
      `  ${handshakes.length} connected in ${(connectMs / 1000).toFixed(1)} s, ` +
        `${failures} failed${connectErrors.length > 0 ? ` (${connectErrors.join('; ')})` : ''}`,
    );
    await sleep(1000);
    const withSockets = await snap(`with ${handshakes.length} sockets connected`);

    // The server's local fan-outs, timed from here to the end of the claims.
    const timing = timeFanouts(app.realtime.io.of('/').adapter);

    // The tasks, posted by the requesting commune's manager.
    const stopBulkWatch = watchQueues(app.realtime.io);
    const total = settings.warmup + settings.claims;
    const taskIds = await postTasks(base, managerCookie, total, 'Fan-out', 60_000);
    const expecting = await Promise.all(
      links.map((l) =>
        l.ask({ type: 'expect', taskIds, created: taskIds.length, timeoutMs: 15_000 }, 'expecting', 30_000),
      ),
    );
    const createdMissing = expecting.reduce((n, e) => n + e.createdMissing, 0);
    const createdDelivery =
      createdMissing === 0
        ? 'every socket had every task:created'
        : `${createdMissing} task:created events still missing after 15 s`;
    log(`posted ${taskIds.length} tasks in one bulk request; ${createdDelivery}`);

    const bulkQueued = stopBulkWatch();
    await snap(`after posting the ${taskIds.length} tasks (their task:created to every socket)`);

    // When the board hands each claim to Socket.IO: the sequencer calls the board's listener before this one.
    const handedAt = new Map<string, number>();
    const unsubscribe = app.sequencer.onEvents((batch) => {
      const at = clock();
      for (const event of batch) if (event.action === 'claim' && event.taskId) handedAt.set(event.taskId, at);
    });

    log(
      `claiming ${total} tasks one at a time (${settings.warmup} warm-up, ${settings.claims} measured), ` +
        `${settings.pauseMs} ms apart...`,
    );
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const claimElu = performance.eventLoopUtilization();
    const claimCpu = cpuSample();
    const stopClaimWatch = watchQueues(app.realtime.io);
    const claimStart = performance.now();
    delay.enable();
    const claimed = await claimerLink.ask({ type: 'claim', taskIds, pauseMs: settings.pauseMs }, 'claimed', 90_000);
    const collected = await Promise.all(
      links.map((l) => l.ask({ type: 'collect', graceMs: 5_000 }, 'receipts', 30_000)),
    );
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
    for (const f of timing.fanouts)
      if (f.event === 'task:updated' && f.status === 'claimed' && f.taskId && !claimFanouts.has(f.taskId))
        claimFanouts.set(f.taskId, f);
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
    const workerGrowth =
      withSockets.workersHeapUsedBytes +
      withSockets.workersExternalBytes -
      (before.workersHeapUsedBytes + before.workersExternalBytes);
    const perSocket = (bytes: number) => (connectedCount === 0 ? 0 : Math.round(bytes / connectedCount));
    const lastSocket = latency(last);
    if (claimFanouts.size === 0)
      notes.push(
        "The local fan-outs could not be timed (the adapter's broadcast was not found), so the breakdown is empty.",
      );

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
      goal: {
        line: GOAL_LINE,
        p99Ms: GOAL.p99Ms,
        pass: last.length > 0 && lastSocket.p99 < GOAL.p99Ms && missedEvents === 0 && failures === 0,
      },
    };
  } finally {
    for (const l of links) await l.stop().catch(() => undefined);
    if (running) await running.stop().catch((err: unknown) => log(`stopping the app failed: ${message(err)}`));
    await cleanUp();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  log(
    `Fan-out benchmark · Node ${process.version} · ${os.cpus().length} CPU ` +
      `(load average ${os.loadavg()[0]?.toFixed(2) ?? '?'}) · ${settings.sockets} sockets · ${settings.claims} claims`,
  );
  const r = await run();
  log(summary(r));
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'fanout.json'), `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(path.join(resultsDir, 'fanout.md'), markdown(r, settings));
  log(`\n${verdict(r, settings)}`);
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

const watchdog = setTimeout(
  () => abandon(`benchmark still running after ${settings.timeoutS} s`, 1),
  settings.timeoutS * 1000,
);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => abandon(signal, 130));
}

main().then(exitWith, exitOnError);
