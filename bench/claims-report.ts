/**
 * The claim benchmark's results and how they are reported: on the console, in
 * bench/results/claims-<driver>.json and in bench/results/claims.md.
 */
import os from 'node:os';
import { latency, type Driver, type Latency, type Machine } from './bench-support';

/** The latency figures of a set of requests. */
export function claimLatency(values: Float64Array): ClaimLatency {
  const { p50, p90, p99, max, mean } = latency(values);
  return { p50, p90, p99, max, mean };
}

/** Claims per second in each 5 s window; a last window shorter than 2.5 s (the tail) joins the one before. */
export function perWindow(counts: number[], durationS: number): number[] {
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

/** What claims.md says about the run, besides the results. */
export interface ReportSettings {
  clients: number;
  racedPercent: number;
  maxSeconds: number;
}

const GOAL = { claimsPerSecond: 1500, p99Ms: 50 };
export const GOAL_LINE = [
  `goal on PostgreSQL: >= ${GOAL.claimsPerSecond} claims/s`,
  `p99 < ${GOAL.p99Ms} ms`,
  '0 double claims',
].join(', ');

/** The claim benchmark's latency figures: those of bench-support without the minimum. */
export type ClaimLatency = Omit<Latency, 'min'>;

/** What the app answers to one simple GET, measured before the claim phase: the machine's ceiling. */
export interface ReferenceFigures {
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

export interface DriverResult extends Machine {
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
  /**
   * Tasks whose claim events disagree with their status (claimed without exactly one claim event, or open
   * with one).
   */
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

export function withGoal(r: DriverResult): DriverResult {
  if (r.driver !== 'postgres') return r;
  const claimsPerSecond = r.claimsPerSecond >= GOAL.claimsPerSecond;
  const p99 = r.latencyMs.p99 < GOAL.p99Ms;
  const doubleClaims = r.doubleClaims === 0;
  return { ...r, goal: { claimsPerSecond, p99, doubleClaims, pass: claimsPerSecond && p99 && doubleClaims } };
}

const mark = (ok: boolean) => (ok ? 'pass' : 'FAIL');

/** A share (0.93) as a whole percentage ("93%"). */
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** A row of a Markdown table. */
const tableRow = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function goalVerdict(results: DriverResult[]): string {
  const pg = results.find((r) => r.driver === 'postgres');
  if (!pg?.goal) return `${GOAL_LINE}: not measured (no PostgreSQL run)`;
  const g = pg.goal;
  const figures = [
    `claims/s ${pg.claimsPerSecond} ${mark(g.claimsPerSecond)}`,
    `p99 ${pg.latencyMs.p99} ms ${mark(g.p99)}`,
    `double claims ${pg.doubleClaims} ${mark(g.doubleClaims)}`,
  ];
  return `${GOAL_LINE}: ${g.pass ? 'PASS' : 'FAIL'} (${figures.join(', ')})`;
}

export function referenceLine(f: ReferenceFigures): string {
  const sqlPart = f.statementsPerRequest === undefined ? '' : `, ${f.statementsPerRequest} SQL statements per request`;
  const errorPart = f.errors > 0 ? `, ${f.errors} unexpected answers` : '';
  const cpuPart = f.appCpuMsPerRequest === undefined ? '' : `, app thread CPU ${f.appCpuMsPerRequest} ms per request`;
  return (
    `${f.request} (${f.cost}): ${f.requestsPerSecond} requests/s, ` +
    `p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, ` +
    `server event loop busy ${percent(f.serverEventLoopUtilization)}${cpuPart}${sqlPart}${errorPart}`
  );
}

const ME = 'GET /api/v1/me';

/** The claim requests' rate as a share of GET /api/v1/me's: the same session, and one query of its own. */
function shareOfMe(r: DriverResult): string | undefined {
  const me = r.reference.find((f) => f.request === ME);
  if (!me || me.requestsPerSecond === 0) return undefined;
  const share = Math.round((r.attemptsPerSecond / me.requestsPerSecond) * 100);
  return (
    `claim requests/s ${r.attemptsPerSecond} = ${share}% of ${ME}'s ${me.requestsPerSecond} requests/s ` +
    '(the same session, and one prepared query of its own where a claim shares a claim statement)'
  );
}

export function summary(r: DriverResult): string {
  const share = shareOfMe(r);
  const all = r.latencyMs;
  const success = r.successLatencyMs;
  const conflict = r.conflictLatencyMs;
  const stopped = r.stoppedByDeadline ? ' (stopped at the time limit)' : '';
  const sqlPart = r.statementsPerAttempt === undefined ? '' : `, ${r.statementsPerAttempt} SQL statements per attempt`;
  return [
    `  ${r.driver}: ${r.successes} claims in ${r.durationS.toFixed(2)} s`,
    `    claims/s ${r.claimsPerSecond}, attempts/s ${r.attemptsPerSecond}`,
    `    latency (all claims) p50 ${all.p50} ms, p90 ${all.p90} ms, p99 ${all.p99} ms, max ${all.max} ms`,
    `    latency 200 p50 ${success.p50} / p99 ${success.p99} ms; 409 p50 ${conflict.p50} / p99 ${conflict.p99} ms`,
    `    successes ${r.successes}, conflicts ${r.conflicts}, errors ${r.errors} (${(r.errorRate * 100).toFixed(2)}%)`,
    `    double claims ${r.doubleClaims}, claim-event mismatches ${r.claimEventMismatches}, ` +
      `unclaimed ${r.unclaimedTasks}${stopped}`,
    `    claims/s by 5 s window: ${r.claimsPerSecondBy5s.join(' ')}`,
    `    server event loop busy ${percent(r.serverEventLoopUtilization)} of the time${sqlPart}, ` +
      `${r.claimsPerStatement ?? 'n/a'} claims per claim statement`,
    `    CPU per attempt: app thread ${r.appCpuMsPerAttempt ?? 'n/a'} ms, ` +
      `PostgreSQL ${r.postgresCpuMsPerAttempt ?? 'n/a'} ms, ` +
      `clients and Node's other threads ${r.otherThreadsCpuMsPerAttempt ?? 'n/a'} ms`,
    ...r.errorSamples.map((s) => `    error sample: ${s}`),
    ...r.reference.map((f) => `    reference ${referenceLine(f)}`),
    ...(share ? [`    ${share}`] : []),
  ].join('\n');
}

export function markdown(results: DriverResult[], skipped: string[], settings: ReportSettings): string {
  const lines = [
    ...header(results, settings),
    ...comparisonTable(results),
    ...results.flatMap((r) => driverNotes(r, settings)),
    ...referenceSection(results, settings),
  ];
  for (const s of skipped) lines.push('', `Skipped: ${s}`);
  lines.push('', 'Run with `npm run bench`; see bench/claims.ts for the settings (BENCH_* variables).', '');
  return lines.join('\n');
}

/** The title, the machine, the workload and the verdict. */
function header(results: DriverResult[], settings: ReportSettings): string[] {
  const first = results[0];
  const machineLine = [
    first ? first.date : new Date().toISOString(),
    `Node ${process.version}`,
    `${os.cpus().length} CPU (${os.cpus()[0]?.model ?? 'unknown'})`,
    `${settings.clients} clients over real HTTP (keep-alive), clients run in: ${first?.clientsIn ?? 'worker thread'}`,
  ];
  const workload = [
    'Every task is attempted once, as clerks each take a different task off the board,',
    `and ${settings.racedPercent}% of them a second time by another client 1–2×clients attempts later,`,
    'as when two clerks click the same task: those race, and the loser gets 409.',
    '`BENCH_RACED_PERCENT=100` races every task.',
  ];
  return [
    '# Claim benchmark',
    '',
    machineLine.join(' · '),
    '',
    workload.join(' '),
    'Latencies are over every claim request (200 and 409), ' +
      'measured by the client from request to the end of the answer.',
    '',
    `**${goalVerdict(results)}**`,
    '',
  ];
}

/** One column per driver, one row per figure. */
function comparisonTable(results: DriverResult[]): string[] {
  if (results.length === 0) return [];
  const cols = results.map((r) => r.driver);
  const row = (label: string, value: (r: DriverResult) => string | number) =>
    `| ${label} | ${results.map((r) => String(value(r))).join(' | ')} |`;
  return [
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
    row('server event loop busy', (r) => percent(r.serverEventLoopUtilization)),
    row('SQL statements per attempt', (r) => r.statementsPerAttempt ?? 'n/a'),
    row('claims per claim statement (first instance)', (r) => r.claimsPerStatement ?? 'n/a'),
    row('CPU per attempt: app thread (ms)', (r) => r.appCpuMsPerAttempt ?? 'n/a'),
    row('CPU per attempt: PostgreSQL (ms)', (r) => r.postgresCpuMsPerAttempt ?? 'n/a'),
    row("CPU per attempt: clients and Node's other threads (ms)", (r) => r.otherThreadsCpuMsPerAttempt ?? 'n/a'),
    row('database', (r) =>
      r.driver === 'postgres' ? `PostgreSQL ${r.postgresVersion ?? ''}, pool ${r.poolSize ?? ''}` : 'PGlite (embedded)',
    ),
    row('ANALYZE before claiming', (r) => (r.analyzedBeforeClaims ? 'yes' : 'no')),
  ];
}

/** What bounded one driver's rate (the instances, the cores, or the event loop), and whether it stopped early. */
function driverNotes(r: DriverResult, settings: ReportSettings): string[] {
  const notes: string[] = [];
  const busy = percent(r.serverEventLoopUtilization);
  if (r.instances > 1) {
    notes.push(
      '',
      `${r.driver}: ${r.instances} app instances; the event loop figure is the first one's (${busy} busy), ` +
        'and SQL statements are not counted (the other instances run in processes of their own).',
    );
  } else if (
    r.appCpuMsPerAttempt !== undefined &&
    r.postgresCpuMsPerAttempt !== undefined &&
    r.otherThreadsCpuMsPerAttempt !== undefined
  ) {
    const cores = (ms: number) => (ms * r.attemptsPerSecond) / 1000;
    const app = cores(r.appCpuMsPerAttempt);
    const pg = cores(r.postgresCpuMsPerAttempt);
    const other = cores(r.otherThreadsCpuMsPerAttempt);
    const sharing = [
      `${r.driver}: during the claim phase the app's thread used ${app.toFixed(2)} of a core,`,
      `PostgreSQL ${pg.toFixed(2)}, the clients and Node's other threads ${other.toFixed(2)}:`,
      `${(app + pg + other).toFixed(2)} of the machine's ${os.cpus().length} cores,`,
      'the rest going to the kernel and whatever else runs here.',
      `The app's event loop was busy ${busy} of the time, part of it waiting for a core:`,
      "the rate is bounded by the machine's CPU, shared by all three.",
    ];
    notes.push('', sharing.join(' '));
  } else if (r.serverEventLoopUtilization >= 0.9) {
    const sameThread = r.driver === 'pglite' ? ' (PGlite runs the database on that same thread)' : '';
    notes.push(
      '',
      `${r.driver}: the server's event loop was busy ${busy} of the claim phase, ` +
        `so the app's own CPU time (one Node thread) bounds the rate, not the clients${sameThread}.`,
    );
  }
  if (r.stoppedByDeadline)
    notes.push(
      '',
      `${r.driver}: the claim phase stopped at the ${settings.maxSeconds} s limit ` +
        `with ${r.unclaimedTasks} task(s) unclaimed.`,
    );
  return notes;
}

const CLAIM_REQUEST = 'POST /api/v1/tasks/:id/claim';
const CLAIM_COST =
  'the above plus a share of a claim statement (the claims that arrive together go in one) ' +
  "and of the sequencer's run";

/** The reference requests' figures beside the claims', and what they say about the claims' ceiling. */
function referenceSection(results: DriverResult[], settings: ReportSettings): string[] {
  const measured = results.filter((r) => r.reference.length > 0);
  if (measured.length === 0) return [];
  const seconds = Math.max(...measured.flatMap((r) => r.reference.map((f) => f.durationS)));
  const method = [
    'Measured on the same app instance just before its claim phase,',
    `with the same ${settings.clients} keep-alive clients (${results[0]?.clientsIn ?? 'worker thread'}),`,
    `about ${Math.round(seconds)} s per request;`,
    'each client sends its next request as soon as its last one is answered.',
    'The claim row repeats the figures above (all claim requests, 200 and 409).',
  ];
  const ceiling = [
    'A claim request costs the session (Express, the session, passport: what `GET /healthz` does not have',
    `and \`${ME}\` has, less \`${ME}\`'s own query of the account's language, e-mail and latest recovery)`,
    'plus a share of one SQL round trip (the claims that arrive together share one claim statement)',
    "plus a share of the sequencer's run, on one instance.",
  ];
  const lines = [
    '',
    '## Reference: what one instance answers on this machine',
    '',
    method.join(' '),
    '',
    ...referenceTable(measured),
    '',
    ceiling.join(' '),
  ];
  for (const r of measured) {
    const share = shareOfMe(r);
    if (share) lines.push('', `${r.driver}: ${share}.`);
    for (const f of r.reference) {
      if (f.errors > 0)
        lines.push(
          '',
          `${r.driver}: ${f.request} had ${f.errors} unexpected answer(s) out of ${f.requests}, ` +
            `e.g. ${f.errorSamples[0] ?? ''}`,
        );
    }
  }
  return lines;
}

/** Each reference request's figures, then the claim requests' (the same figures as the comparison table's). */
function referenceTable(measured: DriverResult[]): string[] {
  const lines = [
    '| request | what it costs the app | driver | requests/s | p50 (ms) | p99 (ms) | server event loop busy | ' +
      'app thread CPU per request (ms) | SQL statements per request |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of measured) {
    for (const f of r.reference) {
      const { p50, p99 } = f.latencyMs;
      const busy = percent(f.serverEventLoopUtilization);
      const cpu = f.appCpuMsPerRequest ?? 'n/a';
      const statements = f.statementsPerRequest ?? 'n/a';
      lines.push(tableRow([f.request, f.cost, r.driver, f.requestsPerSecond, p50, p99, busy, cpu, statements]));
    }
    const { p50, p99 } = r.latencyMs;
    const busy = percent(r.serverEventLoopUtilization);
    const cpu = r.appCpuMsPerAttempt ?? 'n/a';
    const statements = r.statementsPerAttempt ?? 'n/a';
    lines.push(tableRow([CLAIM_REQUEST, CLAIM_COST, r.driver, r.attemptsPerSecond, p50, p99, busy, cpu, statements]));
  }
  return lines;
}
