/**
 * The benchmark's HTTP side: a small client over node:http (logging in, posting tasks), a lighter
 * one for the measured phases (LoadConnection), the claim phase itself (N clients taking attempts
 * from one shared list), and the reference phases (N clients repeating one GET for a few seconds).
 * The phases run in a worker thread by default, so that building requests and parsing answers does
 * not share the server's event loop.
 */
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

export interface HttpAnswer {
  status: number;
  body: string;
  setCookie: string[];
  /** Set when no HTTP answer came back (refused, reset, timed out). */
  error?: string;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  /** Sent as JSON. */
  json?: unknown;
  agent?: http.Agent;
  timeoutMs?: number;
  /** Keep the answer's body; otherwise it is read and dropped (the claim phase only needs it on failure). */
  keepBody?: boolean;
}

/** One request over node:http; never rejects: a transport failure is status 0 with `error`. */
export function request(base: URL, options: RequestOptions): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: HttpAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (options.cookie) headers.cookie = options.cookie;
    const req = http.request(
      {
        hostname: base.hostname,
        port: base.port,
        method: options.method,
        path: options.path,
        headers,
        agent: options.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const keep = options.keepBody === true || (res.statusCode ?? 0) >= 300;
        res.on('data', (chunk: Buffer) => {
          if (keep) chunks.push(chunk);
        });
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            body: keep ? Buffer.concat(chunks).toString('utf8') : '',
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
        res.on('error', (err: Error) => finish({ status: 0, body: '', setCookie: [], error: err.message }));
      },
    );
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    }
    req.on('error', (err: Error) => finish({ status: 0, body: '', setCookie: [], error: err.message }));
    req.end(payload);
  });
}

/** An answer on a LoadConnection: status 0 with `error` when none came back. */
export interface LoadAnswer {
  status: number;
  /** Only when the caller asked for it (see `send`). */
  body: string;
  error?: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection sending one request at a time, as wrk does: the load generator
 * shares this machine's two cores with the app and PostgreSQL, so it writes each request as ready
 * bytes and reads each answer just enough (status line, Content-Length, body), at a fraction of
 * node:http's cost. The app always answers with Content-Length; an answer without one is an error.
 * A lost or closed connection is opened again for the next request.
 */
export class LoadConnection {
  private socket: net.Socket | undefined;
  private chunks: Buffer[] = [];
  private waiting: ((answer: LoadAnswer) => void) | undefined;
  private keepBody: (status: number) => boolean = () => false;

  constructor(
    private readonly base: URL,
    private readonly timeoutMs: number,
  ) {}

  /** Sends `head` (request line and headers, without the blank line) and `body`; never rejects. */
  send(head: string, body: string, keepBody: (status: number) => boolean): Promise<LoadAnswer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.keepBody = keepBody;
      this.chunks = [];
      const socket = this.socket ?? this.open();
      socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): net.Socket {
    const socket = net.connect({ host: this.base.hostname, port: Number(this.base.port), noDelay: true });
    // Events of a connection given up already are no longer this one's business.
    const mine = (fn: () => void) => () => {
      if (this.socket === socket) fn();
    };
    socket.setTimeout(
      this.timeoutMs,
      mine(() => this.fail(`no answer within ${this.timeoutMs} ms`)),
    );
    socket.on('data', (chunk: Buffer) => mine(() => this.read(chunk))());
    socket.on('error', (err: Error) => mine(() => this.fail(err.message))());
    socket.on(
      'close',
      mine(() => this.fail('connection closed')),
    );
    this.socket = socket;
    return socket;
  }

  private settle(answer: LoadAnswer): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    this.chunks = [];
    resolve?.(answer);
  }

  private fail(error: string): void {
    this.close();
    this.settle({ status: 0, body: '', error });
  }

  private read(chunk: Buffer): void {
    this.chunks.push(chunk);
    const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
    const end = data.indexOf(HEADER_END);
    if (end < 0) return;
    const head = data.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (!Number.isInteger(status) || length === undefined) return this.fail(`unreadable answer: ${head.slice(0, 200)}`);
    const bodyEnd = end + 4 + Number(length);
    if (data.length < bodyEnd) {
      this.chunks = [data];
      return;
    }
    const closing = /\r\nconnection: *close/i.test(head);
    const body = this.keepBody(status) ? data.toString('utf8', end + 4, bodyEnd) : '';
    if (closing) this.close();
    this.settle({ status, body });
  }
}

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
export function attemptOrder(count: number, clients: number, seed: number, racedPercent: number): number[] {
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

export interface ClaimJob {
  kind: 'claim-job';
  /** The app instances' base URLs; client c talks to urls[c % urls.length], as a proxy would spread them. */
  urls: string[];
  /** One signed-in session cookie per clerk; client c uses cookies[c % cookies.length]. */
  cookies: string[];
  clients: number;
  taskIds: string[];
  /** The attempts, in the order clients take them: indices into taskIds, each task usually twice. */
  order: number[];
  /** The phase stops taking new attempts after this long. */
  maxMs: number;
  requestTimeoutMs: number;
}

export interface ClaimResult {
  /** Attempts made: the first `attempts` entries of the job's order, all answered or failed. */
  attempts: number;
  taskIndex: Int32Array<ArrayBuffer>;
  /** HTTP status per attempt; 0 when the request failed without an answer. */
  status: Uint16Array<ArrayBuffer>;
  latencyMs: Float64Array<ArrayBuffer>;
  /** When each attempt's answer arrived, in ms since the phase began. */
  doneAtMs: Float64Array<ArrayBuffer>;
  durationMs: number;
  stoppedByDeadline: boolean;
  /** A few of the unexpected answers, to tell what went wrong. */
  errorSamples: string[];
}

/** The claim phase reads an answer's body only to tell what went wrong. */
const unexpected = (status: number) => status !== 200 && status !== 409;

/** Runs the claim phase in the calling thread. */
export async function runClaims(job: ClaimJob): Promise<ClaimResult> {
  const bases = job.urls.map((u) => new URL(u));
  const connections: LoadConnection[] = [];
  const total = job.order.length;
  const taskIndex = new Int32Array(total);
  const status = new Uint16Array(total);
  const latencyMs = new Float64Array(total);
  const doneAtMs = new Float64Array(total);
  const errorSamples: string[] = [];
  let next = 0;
  let stoppedByDeadline = false;
  const started = performance.now();
  const deadline = started + job.maxMs;

  const client = async (c: number): Promise<void> => {
    const base = bases[c % bases.length] as URL;
    const connection = new LoadConnection(base, job.requestTimeoutMs);
    connections.push(connection);
    const headers =
      `Host: ${base.host}\r\nAccept: application/json\r\nContent-Type: application/json\r\n` +
      `Cookie: ${job.cookies[c % job.cookies.length] ?? ''}`;
    for (;;) {
      if (performance.now() > deadline) {
        stoppedByDeadline = true;
        return;
      }
      const k = next++;
      if (k >= total) return;
      const t = job.order[k] ?? -1;
      const taskId = job.taskIds[t] ?? '00000000-0000-0000-0000-000000000000';
      const t0 = performance.now();
      const answer = await connection.send(
        `POST /api/v1/tasks/${taskId}/claim HTTP/1.1\r\n${headers}`,
        '{}',
        unexpected,
      );
      const t1 = performance.now();
      latencyMs[k] = t1 - t0;
      doneAtMs[k] = t1 - started;
      taskIndex[k] = t;
      status[k] = answer.status;
      if (answer.status !== 200 && answer.status !== 409 && errorSamples.length < 5) {
        errorSamples.push(`${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`);
      }
    }
  };

  await Promise.all(Array.from({ length: job.clients }, (_, c) => client(c)));
  const durationMs = performance.now() - started;
  for (const connection of connections) connection.close();
  const attempts = Math.min(next, total);
  return {
    attempts,
    taskIndex: taskIndex.slice(0, attempts),
    status: status.slice(0, attempts),
    latencyMs: latencyMs.slice(0, attempts),
    doneAtMs: doneAtMs.slice(0, attempts),
    durationMs,
    stoppedByDeadline,
    errorSamples,
  };
}

/**
 * A reference phase: the clients repeat one GET, each sending its next request as soon as the last
 * one is answered, until `durationMs` has passed. It tells what the app answers at all, without a claim.
 */
export interface ReferenceJob {
  kind: 'reference-job';
  url: string;
  path: string;
  /** Session cookies, client c uses cookies[c % cookies.length]; empty for no session. */
  cookies: string[];
  clients: number;
  /** Clients stop sending new requests after this long; the ones in flight are still awaited. */
  durationMs: number;
  requestTimeoutMs: number;
  /** The status a good answer has. */
  expectStatus: number;
}

export interface ReferenceResult {
  /** Requests answered or failed. */
  requests: number;
  /** Requests whose answer was not `expectStatus` (or had no answer). */
  errors: number;
  latencyMs: Float64Array<ArrayBuffer>;
  /** From the first request sent to the last answer received. */
  durationMs: number;
  errorSamples: string[];
}

/** Runs a reference phase in the calling thread. */
export async function runReference(job: ReferenceJob): Promise<ReferenceResult> {
  const base = new URL(job.url);
  const connections: LoadConnection[] = [];
  const keep = (status: number) => status !== job.expectStatus;
  let latencyMs = new Float64Array(65_536);
  let requests = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const started = performance.now();
  const deadline = started + job.durationMs;

  const client = async (c: number): Promise<void> => {
    const cookie = job.cookies.length > 0 ? job.cookies[c % job.cookies.length] : undefined;
    const connection = new LoadConnection(base, job.requestTimeoutMs);
    connections.push(connection);
    const head =
      `GET ${job.path} HTTP/1.1\r\nHost: ${base.host}\r\nAccept: application/json` +
      (cookie ? `\r\nCookie: ${cookie}` : '');
    while (performance.now() <= deadline) {
      const t0 = performance.now();
      const answer = await connection.send(head, '', keep);
      const ms = performance.now() - t0;
      if (requests === latencyMs.length) {
        const grown = new Float64Array(latencyMs.length * 2);
        grown.set(latencyMs);
        latencyMs = grown;
      }
      latencyMs[requests++] = ms;
      if (answer.status !== job.expectStatus) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`);
      }
    }
  };

  await Promise.all(Array.from({ length: job.clients }, (_, c) => client(c)));
  const durationMs = performance.now() - started;
  for (const connection of connections) connection.close();
  return { requests, errors, latencyMs: latencyMs.slice(0, requests), durationMs, errorSamples };
}

export type Job = ClaimJob | ReferenceJob;

function isJob(value: unknown): value is Job {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'claim-job' || kind === 'reference-job';
}

// Worker entry: run the job handed over in workerData and post the result back.
if (!isMainThread && parentPort && isJob(workerData)) {
  const port = parentPort;
  const failed = (err: unknown) =>
    port.postMessage({ failed: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  if (workerData.kind === 'claim-job') {
    runClaims(workerData).then(
      (result) =>
        port.postMessage(result, [
          result.taskIndex.buffer,
          result.status.buffer,
          result.latencyMs.buffer,
          result.doneAtMs.buffer,
        ]),
      failed,
    );
  } else {
    runReference(workerData).then((result) => port.postMessage(result, [result.latencyMs.buffer]), failed);
  }
}
