/**
 * How the fan-out benchmark's results (bench/fanout-result.ts) are reported: on the console and in
 * bench/results/fanout.md.
 */
import type { Latency } from './bench-support';
import type { OrderCounts } from './fanout-clients';
import type { FanoutResult } from './fanout-result';

/** What the verdict and fanout.md say about the run, besides the results. */
export interface ReportSettings {
  sockets: number;
}

export const GOAL = { p99Ms: 150 };
/** The goal, as the verdict and the results state it, for this many sockets. */
export const goalLine = (sockets: number) =>
  `goal: p99 of "last socket" latency < ${GOAL.p99Ms} ms with ${sockets} sockets on one instance`;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Formatting helpers

export const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;
const counts = (c: OrderCounts) => `${c.created + c.updated} (task:created ${c.created}, task:updated ${c.updated})`;
/** A share (0.93) as a whole percentage ("93%"). */
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
/** A row of a Markdown table of latencies. */
const latencyRow = (label: string, l: Latency) => `| ${label} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${l.min} |`;

// ---------------------------------------------------------------------------------------------
// Reporting

export function verdict(r: FanoutResult, settings: ReportSettings): string {
  const reasons: string[] = [`p99 ${r.latencyMs.lastSocket.p99} ms`];
  if (r.missed.events > 0) reasons.push(`${r.missed.events} events missed`);
  if (r.sockets.failures > 0) reasons.push(`${r.sockets.failures} sockets never connected`);
  return `${goalLine(settings.sockets)}: ${r.goal.pass ? 'PASS' : 'FAIL'} (${reasons.join(', ')})`;
}

export function summary(r: FanoutResult): string {
  const database = r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}` : 'PGlite';
  const { sockets, claims, breakdownMs: breakdown } = r;
  return [
    '',
    `Fan-out on ${database}: ${sockets.connected}/${sockets.requested} sockets, ` +
      `${claims.measured} measured claims (+${claims.warmup} warm-up), ${claims.pauseMs} ms apart`,
    `  connect: ${sockets.connectSeconds} s ` +
      `(${sockets.connectsPerSecond} sockets/s, batches of ${sockets.batchSize}), ` +
      `handshake ${ms(sockets.handshakeMs)}, ` +
      `server event loop busy ${percent(sockets.serverEventLoopUtilizationWhileConnecting)}`,
    `  claim → last socket:   ${ms(r.latencyMs.lastSocket)} (min ${r.latencyMs.lastSocket.min} ms)`,
    `  claim → median socket: ${ms(r.latencyMs.medianSocket)}`,
    `  claim → first socket:  ${ms(r.latencyMs.firstSocket)}`,
    `  first → last socket (spread): ${ms(r.latencyMs.spread)}`,
    `  breakdown: sequencer listener → local fan-out begins ${ms(breakdown.handedToFanoutStart)}`,
    `             claim answer → local fan-out begins ${ms(breakdown.responseToFanoutStart)} ` +
      `(after the answer in ${r.fanoutAfterResponse}/${claims.measured})`,
    `             local fan-out (server writes to every socket) ${ms(breakdown.fanout)}`,
    `             local fan-out done → last socket ${ms(breakdown.fanoutEndToLastSocket)}`,
    ...Object.entries(r.serverFanoutMs).map(
      ([name, l]) => `  server time in one ${name} fan-out (${l.count} of them): ${ms(l)}`,
    ),
    `  claim request itself: ${ms(claims.requestMs)}; ` +
      `last socket before the answer in ${r.lastSocketBeforeResponse}/${claims.measured} claims`,
    ...healthSummary(r),
    ...memorySummary(r.memory),
    ...sockets.errorSamples.map((e) => `  connect error: ${e}`),
    ...claims.errorSamples.map((e) => `  claim error: ${e}`),
    ...r.missed.disconnectReasons.map((e) => `  disconnect: ${e}`),
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

/** The summary's lines on what went missing or out of order, and on how busy the machine was. */
function healthSummary(r: FanoutResult): string[] {
  const { missed, order, cpu, eventLoop } = r;
  const workersBusy = eventLoop.socketWorkersUtilization.map((u) => percent(u)).join(', ');
  return [
    `  missed events ${missed.events} (sockets ${missed.sockets}, claims ${missed.claims}), ` +
      `task:created missing ${missed.createdEvents}, duplicates ${missed.duplicates}, ` +
      `disconnects ${missed.disconnects}, failed claims ${r.claims.failed}`,
    `  board order: task events received ${counts(order.taskEvents)}; ` +
      `out of order ${counts(order.outOfOrder)}; with a gap (prev ≠ last seq seen) ${counts(order.gaps)}`,
    `  CPU during the claims (cores of ${r.cpus}): machine ${cpu.machineCores}, ` +
      `this process ${cpu.thisProcessCores}, other processes (PostgreSQL included) ${cpu.otherProcessesCores}; ` +
      `load average at start ${cpu.loadAverage1mAtStart}`,
    `  event loops during the claims: server ${percent(eventLoop.serverUtilization)} busy ` +
      `(delay p99 ${eventLoop.serverDelayP99Ms} ms, max ${eventLoop.serverDelayMaxMs} ms), ` +
      `sockets worker(s) ${workersBusy}`,
  ];
}

/** The summary's lines on memory: each snapshot, the send queues' peaks, and the cost of one socket. */
function memorySummary(m: FanoutResult['memory']): string[] {
  const { bulkPost, claims } = m.serverQueuedPeak;
  return [
    ...m.snapshots.map(
      (s) =>
        `  memory ${s.label}: RSS ${mb(s.rssBytes)}, ` +
        `server heap used ${mb(s.serverHeapUsedBytes)} (total ${mb(s.serverHeapTotalBytes)}), ` +
        `workers' heap used ${mb(s.workersHeapUsedBytes)} (total ${mb(s.workersHeapTotalBytes)})`,
    ),
    `  server's userland send queues at their peak: ` +
      `bulk post ${mb(bulkPost.bytes)} + ${bulkPost.packets} engine.io packets; ` +
      `claims ${mb(claims.bytes)} + ${claims.packets} packets`,
    `  per socket: server heap ${kb(m.serverHeapPerSocketBytes)}, process RSS ${kb(m.rssPerSocketBytes)} ` +
      `(about ${kb(m.rssPerSocketServerEstimateBytes)} without the workers' heap growth)`,
  ];
}

export function markdown(r: FanoutResult, settings: ReportSettings): string {
  const lines = [
    ...latencySection(r, settings),
    ...breakdownSection(r),
    ...runTable(r),
    ...memorySection(r.memory),
    ...caveats(r),
  ];
  for (const n of r.notes) lines.push('', n);
  lines.push(
    '',
    'Run with `npm run bench` (after the claim benchmark) or `npx tsx bench/fanout.ts`; ' +
      'see bench/fanout.ts for the settings (BENCH_* variables).',
    '',
  );
  return lines.join('\n');
}

/** The title, the machine, the workload, the verdict and the latencies the goal is about. */
function latencySection(r: FanoutResult, settings: ReportSettings): string[] {
  const database = r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}` : 'PGlite (embedded)';
  const workload = [
    'One app instance in-process (main thread);',
    `${r.sockets.connected} socket.io-client sockets (websocket transport) in ${r.sockets.workers} worker thread(s),`,
    `all in the same region, sharing the sessions of ${r.sockets.clerks} clerks;`,
    `a claimer in another worker thread claims ${r.claims.measured} tasks one at a time`,
    `(${r.claims.pauseMs} ms apart, after ${r.claims.warmup} unmeasured warm-up claims) as a clerk of another commune.`,
  ];
  const method = [
    'Latency of a claim = when a socket received its `task:updated` (status claimed)',
    'minus when the claimer had the whole HTTP answer,',
    'both on `performance.timeOrigin + performance.now()` (shared by the threads of the process).',
    'Negative: the socket had the event before the claimer had the answer.',
  ];
  return [
    '# Fan-out benchmark',
    '',
    `${r.date} · Node ${r.node} · ${r.cpus} CPU (${r.cpuModel}) · ${database}`,
    '',
    workload.join(' '),
    method.join(' '),
    '',
    `**${verdict(r, settings)}**`,
    '',
    '| latency (ms) | p50 | p90 | p99 | max | min |',
    '|---|---|---|---|---|---|',
    latencyRow('claim answer → last socket', r.latencyMs.lastSocket),
    latencyRow('claim answer → median socket', r.latencyMs.medianSocket),
    latencyRow('claim answer → first socket', r.latencyMs.firstSocket),
    latencyRow('first socket → last socket', r.latencyMs.spread),
    latencyRow('claim request (sent → answered)', r.claims.requestMs),
    latencyRow('socket handshake (io() → connect)', r.sockets.handshakeMs),
    '',
    `The last socket had the event before the claimer had the HTTP answer in ${r.lastSocketBeforeResponse} ` +
      `of ${r.claims.measured} claims.`,
    '',
  ];
}

/** Where the time goes between the claim and the last socket, from the server-side marks. */
function breakdownSection(r: FanoutResult): string[] {
  const marks = [
    'Server-side marks, on the same clock: when the sequencer told its listeners of the claim',
    "(a listener this benchmark adds, after the board's), and when the local fan-out began and ended",
    "(Socket.IO's in-memory base adapter `broadcast`, which every adapter ends in for this instance's own sockets:",
    'it encodes the packet once and writes it to every socket of the region before returning;',
    'timed by wrapping it from the benchmark).',
  ];
  const fanoutRows = [
    'The last rows are every local fan-out from the bulk post to the last claim, by event',
    "(warm-up included; `load:updated` is the board's derived-load broadcast,",
    'at most twice a second while tasks change).',
  ];
  return [
    '### Where the time goes',
    '',
    marks.join(' '),
    '',
    '| (ms) | p50 | p90 | p99 | max | min |',
    '|---|---|---|---|---|---|',
    latencyRow('sequencer listener → local fan-out begins', r.breakdownMs.handedToFanoutStart),
    latencyRow('claim answer → local fan-out begins', r.breakdownMs.responseToFanoutStart),
    latencyRow('local fan-out (server writes every socket)', r.breakdownMs.fanout),
    latencyRow('local fan-out done → last socket', r.breakdownMs.fanoutEndToLastSocket),
    ...Object.entries(r.serverFanoutMs).map(([name, l]) => latencyRow(`one \`${name}\` fan-out (×${l.count})`, l)),
    '',
    fanoutRows.join(' '),
    `The local fan-out began after the claimer already had the HTTP answer in ${r.fanoutAfterResponse} ` +
      `of ${r.claims.measured} claims.`,
    '"Sequencer listener → local fan-out begins" is negative when the board writes to the sockets ' +
      'inside its own sequencer listener (before the claim is answered), positive when it publishes later.',
    '',
  ];
}

/** The run's other figures: connections, lost or disordered events, event loops, CPU and clocks. */
function runTable(r: FanoutResult): string[] {
  const { sockets, missed, order, eventLoop, cpu } = r;
  const workersBusy = eventLoop.socketWorkersUtilization.map((u) => percent(u)).join(', ');
  const clockOffsets = r.clock.offsetsMs.map((o, i) => `${o} ms (${r.clock.roundTripMs[i] ?? 0} ms)`).join(', ');
  return [
    '| | |',
    '|---|---|',
    `| sockets connected | ${sockets.connected} of ${sockets.requested} (${sockets.failures} failed) |`,
    `| connect phase | ${sockets.connectSeconds} s, ${sockets.connectsPerSecond} sockets/s, ` +
      `batches of ${sockets.batchSize}; ` +
      `server event loop busy ${percent(sockets.serverEventLoopUtilizationWhileConnecting)} |`,
    `| events missed | ${missed.events} (sockets ${missed.sockets}, claims ${missed.claims}) |`,
    `| task:created missing before the claims | ${missed.createdEvents} |`,
    `| duplicate receipts | ${missed.duplicates} |`,
    `| disconnects during the run | ${missed.disconnects} |`,
    `| task events received (all sockets) | ${counts(order.taskEvents)} |`,
    `| … out of order (seq not above the last seen) | ${counts(order.outOfOrder)} |`,
    `| … with a gap (\`prev\` ≠ last seq seen: a client would resync) | ${counts(order.gaps)} |`,
    `| failed claims | ${r.claims.failed} |`,
    `| claim phase | ${r.claims.durationS} s |`,
    `| server event loop during the claims | ${percent(eventLoop.serverUtilization)} busy, ` +
      `delay p99 ${eventLoop.serverDelayP99Ms} ms, max ${eventLoop.serverDelayMaxMs} ms |`,
    `| sockets worker event loop during the claims | ${workersBusy} busy |`,
    `| CPU during the claims, in cores of ${r.cpus} | machine ${cpu.machineCores}: ` +
      `this process (server and client workers) ${cpu.thisProcessCores}, ` +
      `other processes (PostgreSQL included) ${cpu.otherProcessesCores}; ` +
      `1-minute load average at start ${cpu.loadAverage1mAtStart} |`,
    `| worker clock offsets (round trip) | ${clockOffsets} |`,
    '',
  ];
}

/** The memory snapshots, the send queues' peaks, and what one socket costs. */
function memorySection(m: FanoutResult['memory']): string[] {
  const gc = m.snapshots.every((s) => s.afterFullGc)
    ? 'after a full garbage collection in every thread'
    : 'without a forced garbage collection';
  const method = [
    `Taken ${gc}.`,
    `The app runs in the main thread, so "server heap" is the app's V8 heap`,
    "(plus this benchmark's small orchestration).",
    'RSS is the whole process: it includes the worker threads that hold the client sockets,',
    "so it overstates the server; the workers' own heaps are shown apart.",
    'Kernel socket buffers are in neither.',
  ];
  const { bulkPost, claims } = m.serverQueuedPeak;
  const queues = [
    "Server's userland send queues at their peak",
    '(ws `bufferedAmount` summed over its sockets, plus engine.io packets not yet handed to ws; sampled every 5 ms):',
    `during the bulk post ${mb(bulkPost.bytes)} and ${bulkPost.packets} packets;`,
    `during the claims ${mb(claims.bytes)} and ${claims.packets} packets.`,
  ];
  const perSocket = [
    `Per connected socket: server heap ${kb(m.serverHeapPerSocketBytes)}; process RSS ${kb(m.rssPerSocketBytes)},`,
    `of which roughly ${kb(m.rssPerSocketServerEstimateBytes)} once the workers' heap and external growth is taken out`,
    "(an estimate: the client side's native memory stays in).",
  ];
  return [
    '## Memory',
    '',
    method.join(' '),
    '',
    "| when | RSS | server heap used | server heap total | server external | workers' heap used | " +
      "workers' heap total | workers' external |",
    '|---|---|---|---|---|---|---|---|',
    ...m.snapshots.map(
      (s) =>
        `| ${s.label} | ${mb(s.rssBytes)} | ${mb(s.serverHeapUsedBytes)} | ${mb(s.serverHeapTotalBytes)} | ` +
        `${mb(s.serverExternalBytes)} | ${mb(s.workersHeapUsedBytes)} | ${mb(s.workersHeapTotalBytes)} | ` +
        `${mb(s.workersExternalBytes)} |`,
    ),
    '',
    queues.join(' '),
    '',
    perSocket.join(' '),
  ];
}

/** What may have skewed the figures: busy socket workers, other processes, few CPUs, disordered events. */
function caveats(r: FanoutResult): string[] {
  const lines: string[] = [];
  if (r.eventLoop.socketWorkersUtilization.some((u) => u > 0.5)) {
    const busyWorkers = [
      "The sockets worker's event loop was busy more than half the claim phase:",
      'every socket decodes every frame on that one thread, so part of "local fan-out done → last socket"',
      "is the client side's own queue, not the server's.",
      'BENCH_SOCKET_WORKERS spreads the sockets over more threads, which helps only with cores to spare.',
    ];
    lines.push('', busyWorkers.join(' '));
  }
  if (r.cpu.otherProcessesCores > 0.5) {
    lines.push(
      '',
      `**Other processes used ${r.cpu.otherProcessesCores} of the ${r.cpus} cores during the claims** ` +
        "(PostgreSQL's share included, usually well under half a core here): " +
        'other work competed for the CPUs, so these figures are pessimistic; rerun on a quiet machine.',
    );
  }
  if (r.cpus <= 4) {
    const andPostgres = r.driver === 'postgres' ? ' and PostgreSQL' : '';
    lines.push(
      '',
      `All of this shares ${r.cpus} CPUs: the server's thread, the sockets worker(s), the claimer${andPostgres}. ` +
        "The client side's work (every socket decoding every frame) competes with the server's for them, " +
        'so the figures are pessimistic for the server: real clients each decode on their own machine.',
    );
  }
  const { outOfOrder, gaps } = r.order;
  const disorder = outOfOrder.created + outOfOrder.updated + gaps.created + gaps.updated;
  if (disorder > 0) {
    lines.push(
      '',
      `**Order:** the sockets received ${counts(outOfOrder)} task events out of sequence order ` +
        `and ${counts(gaps)} whose \`prev\` did not match the last seq they had seen; ` +
        'no event was lost, but a client that follows `prev` would take these for gaps and resync.',
    );
  }
  return lines;
}
