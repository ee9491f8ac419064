/**
 * The fan-out benchmark's results, as bench/results/fanout.json holds them; bench/fanout-report.ts reports
 * them on the console and in bench/results/fanout.md.
 */
import type { Driver, Latency, Machine } from './bench-support';
import type { OrderCounts } from './fanout-clients';

/**
 * What the server holds for its sockets, not yet handed to the kernel: ws's bufferedAmount, and engine.io's
 * queued packets.
 */
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
  /**
   * The server's time in one local fan-out (every socket of the region), by event, from the bulk post to the
   * last claim.
   */
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
