/**
 * The fan-out benchmark's results and how they are reported: on the console, in
 * bench/results/fanout.json and in bench/results/fanout.md.
 */
import type { Driver, Latency, Machine } from './bench-support';
import type { OrderCounts } from './fanout-clients';

/** What the verdict and fanout.md say about the run, besides the results. */
export interface ReportSettings {
  sockets: number;
}

export const GOAL = { p99Ms: 150 };
/** The goal, as the verdict and the results state it, for this many sockets. */
export const goalLine = (sockets: number) =>
  `goal: p99 of "last socket" latency < ${GOAL.p99Ms} ms with ${sockets} sockets on one instance`;
const MB = 1024 * 1024;

/** What the server holds for its sockets, not yet handed to the kernel: ws's bufferedAmount, and engine.io's queued packets. */
export interface Queued {
  bytes: number;
  packets: number;
}

export interface MemorySnapshot {
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

export interface FanoutResult extends Machine {
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
// Formatting helpers

export const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;
const counts = (c: OrderCounts) => `${c.created + c.updated} (task:created ${c.created}, task:updated ${c.updated})`;

// ---------------------------------------------------------------------------------------------
// Reporting

export function verdict(r: FanoutResult, settings: ReportSettings): string {
  const reasons: string[] = [`p99 ${r.latencyMs.lastSocket.p99} ms`];
  if (r.missed.events > 0) reasons.push(`${r.missed.events} events missed`);
  if (r.sockets.failures > 0) reasons.push(`${r.sockets.failures} sockets never connected`);
  return `${goalLine(settings.sockets)}: ${r.goal.pass ? 'PASS' : 'FAIL'} (${reasons.join(', ')})`;
}

export function summary(r: FanoutResult): string {
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
    ...Object.entries(r.serverFanoutMs).map(
      ([name, l]) => `  server time in one ${name} fan-out (${l.count} of them): ${ms(l)}`,
    ),
    `  claim request itself: ${ms(r.claims.requestMs)}; last socket before the answer in ${r.lastSocketBeforeResponse}/${r.claims.measured} claims`,
    `  missed events ${r.missed.events} (sockets ${r.missed.sockets}, claims ${r.missed.claims}), task:created missing ${r.missed.createdEvents}, duplicates ${r.missed.duplicates}, disconnects ${r.missed.disconnects}, failed claims ${r.claims.failed}`,
    `  board order: task events received ${counts(r.order.taskEvents)}; out of order ${counts(r.order.outOfOrder)}; with a gap (prev ≠ last seq seen) ${counts(r.order.gaps)}`,
    `  CPU during the claims (cores of ${r.cpus}): machine ${r.cpu.machineCores}, this process ${r.cpu.thisProcessCores}, other processes (PostgreSQL included) ${r.cpu.otherProcessesCores}; load average at start ${r.cpu.loadAverage1mAtStart}`,
    `  event loops during the claims: server ${(r.eventLoop.serverUtilization * 100).toFixed(0)}% busy (delay p99 ${r.eventLoop.serverDelayP99Ms} ms, max ${r.eventLoop.serverDelayMaxMs} ms), sockets worker(s) ${r.eventLoop.socketWorkersUtilization.map((u) => `${(u * 100).toFixed(0)}%`).join(', ')}`,
    ...m.snapshots.map(
      (s) =>
        `  memory ${s.label}: RSS ${mb(s.rssBytes)}, server heap used ${mb(s.serverHeapUsedBytes)} (total ${mb(s.serverHeapTotalBytes)}), workers' heap used ${mb(s.workersHeapUsedBytes)} (total ${mb(s.workersHeapTotalBytes)})`,
    ),
    `  server's userland send queues at their peak: bulk post ${mb(m.serverQueuedPeak.bulkPost.bytes)} + ${m.serverQueuedPeak.bulkPost.packets} engine.io packets; claims ${mb(m.serverQueuedPeak.claims.bytes)} + ${m.serverQueuedPeak.claims.packets} packets`,
    `  per socket: server heap ${kb(m.serverHeapPerSocketBytes)}, process RSS ${kb(m.rssPerSocketBytes)} (about ${kb(m.rssPerSocketServerEstimateBytes)} without the workers' heap growth)`,
    ...r.sockets.errorSamples.map((e) => `  connect error: ${e}`),
    ...r.claims.errorSamples.map((e) => `  claim error: ${e}`),
    ...r.missed.disconnectReasons.map((e) => `  disconnect: ${e}`),
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

export function markdown(r: FanoutResult, settings: ReportSettings): string {
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
    `**${verdict(r, settings)}**`,
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
    "Server-side marks, on the same clock: when the sequencer told its listeners of the claim (a listener this benchmark adds, after the board's), and when the local fan-out began and ended (Socket.IO's in-memory base adapter `broadcast`, which every adapter ends in for this instance's own sockets: it encodes the packet once and writes it to every socket of the region before returning; timed by wrapping it from the benchmark).",
    '',
    '| (ms) | p50 | p90 | p99 | max | min |',
    '|---|---|---|---|---|---|',
    row('sequencer listener → local fan-out begins', r.breakdownMs.handedToFanoutStart),
    row('claim answer → local fan-out begins', r.breakdownMs.responseToFanoutStart),
    row('local fan-out (server writes every socket)', r.breakdownMs.fanout),
    row('local fan-out done → last socket', r.breakdownMs.fanoutEndToLastSocket),
    ...Object.entries(r.serverFanoutMs).map(([name, l]) => row(`one \`${name}\` fan-out (×${l.count})`, l)),
    '',
    "The last rows are every local fan-out from the bulk post to the last claim, by event (warm-up included; `load:updated` is the board's derived-load broadcast, at most twice a second while tasks change).",
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
    "| when | RSS | server heap used | server heap total | server external | workers' heap used | workers' heap total | workers' external |",
    '|---|---|---|---|---|---|---|---|',
    ...m.snapshots.map(
      (s) =>
        `| ${s.label} | ${mb(s.rssBytes)} | ${mb(s.serverHeapUsedBytes)} | ${mb(s.serverHeapTotalBytes)} | ${mb(s.serverExternalBytes)} | ${mb(s.workersHeapUsedBytes)} | ${mb(s.workersHeapTotalBytes)} | ${mb(s.workersExternalBytes)} |`,
    ),
    '',
    `Server's userland send queues at their peak (ws \`bufferedAmount\` summed over its sockets, plus engine.io packets not yet handed to ws; sampled every 5 ms): during the bulk post ${mb(m.serverQueuedPeak.bulkPost.bytes)} and ${m.serverQueuedPeak.bulkPost.packets} packets; during the claims ${mb(m.serverQueuedPeak.claims.bytes)} and ${m.serverQueuedPeak.claims.packets} packets.`,
    '',
    `Per connected socket: server heap ${kb(m.serverHeapPerSocketBytes)}; process RSS ${kb(m.rssPerSocketBytes)}, of which roughly ${kb(m.rssPerSocketServerEstimateBytes)} once the workers' heap and external growth is taken out (an estimate: the client side's native memory stays in).`,
  ];
  if (r.eventLoop.socketWorkersUtilization.some((u) => u > 0.5)) {
    lines.push(
      '',
      "The sockets worker's event loop was busy more than half the claim phase: every socket decodes every frame on that one thread, so part of \"local fan-out done → last socket\" is the client side's own queue, not the server's. BENCH_SOCKET_WORKERS spreads the sockets over more threads, which helps only with cores to spare.",
    );
  }
  if (r.cpu.otherProcessesCores > 0.5) {
    lines.push(
      '',
      `**Other processes used ${r.cpu.otherProcessesCores} of the ${r.cpus} cores during the claims** (PostgreSQL's share included, usually well under half a core here): other work competed for the CPUs, so these figures are pessimistic; rerun on a quiet machine.`,
    );
  }
  if (r.cpus <= 4) {
    lines.push(
      '',
      `All of this shares ${r.cpus} CPUs: the server's thread, the sockets worker(s), the claimer${r.driver === 'postgres' ? ' and PostgreSQL' : ''}. The client side's work (every socket decoding every frame) competes with the server's for them, so the figures are pessimistic for the server: real clients each decode on their own machine.`,
    );
  }
  const disorder =
    r.order.outOfOrder.created + r.order.outOfOrder.updated + r.order.gaps.created + r.order.gaps.updated;
  if (disorder > 0) {
    lines.push(
      '',
      `**Order:** the sockets received ${counts(r.order.outOfOrder)} task events out of sequence order and ${counts(r.order.gaps)} whose \`prev\` did not match the last seq they had seen; no event was lost, but a client that follows \`prev\` would take these for gaps and resync.`,
    );
  }
  for (const n of r.notes) lines.push('', n);
  lines.push(
    '',
    'Run with `npm run bench` (after the claim benchmark) or `npx tsx bench/fanout.ts`; see bench/fanout.ts for the settings (BENCH_* variables).',
    '',
  );
  return lines.join('\n');
}
