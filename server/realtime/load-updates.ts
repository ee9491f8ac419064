import type { Logger } from 'pino';

/** Loads are recomputed at most this often after changes… */
export const LOAD_INTERVAL_MS = 500;
/** …and no sooner than this many times what the last recomputation took… */
export const LOAD_COST_FACTOR = 10;
/** …but at least this often, however long it took: a dashboard that stops moving reads as broken. */
export const LOAD_MAX_INTERVAL_MS = 30_000;

/**
 * When the next recomputation may start, after one that took `costMs`: twice a second on a small
 * board, and less often as the backlog, and the aggregate over it, grows (100,000 open tasks take
 * 60–100 ms to sum up on a 2-core host), so that this summary never holds more than a tenth of the time.
 */
export function nextLoadDelay(costMs: number): number {
  return Math.min(LOAD_MAX_INTERVAL_MS, Math.max(LOAD_INTERVAL_MS, Math.ceil(LOAD_COST_FACTOR * costMs)));
}

export interface LoadUpdatesDeps<L> {
  /** The region's loads, read from the tasks. */
  loads(regionId: string): Promise<L>;
  /** Whether anyone on this instance watches the region: nothing is computed for nobody. */
  watched(regionId: string): boolean;
  /** Sends the loads, with the sequence number of the last event they follow. */
  send(regionId: string, seq: number, loads: L): void;
  log: Logger;
  /** The clock and the timer (the test's own; by default the process's). */
  now?: () => number;
  schedule?: (run: () => void, ms: number) => { cancel(): void };
}

const realTimer = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return { cancel: () => clearTimeout(timer) };
};

/**
 * The `load:updated` push: the regions whose tasks changed are recomputed together, paced by
 * `nextLoadDelay`; one recomputation at a time, and changes that arrive meanwhile wait for the next.
 */
export class LoadUpdates<L> {
  private readonly due = new Map<string, number>();
  private timer: { cancel(): void } | undefined;
  private running: Promise<void> | undefined;
  private delayMs = LOAD_INTERVAL_MS;
  private stopped = false;
  private readonly now: () => number;
  private readonly schedule: NonNullable<LoadUpdatesDeps<L>['schedule']>;

  constructor(private readonly deps: LoadUpdatesDeps<L>) {
    this.now = deps.now ?? (() => performance.now());
    this.schedule = deps.schedule ?? realTimer;
  }

  /** A task of the region changed, up to event `seq`. */
  changed(regionId: string, seq: number): void {
    this.due.set(regionId, seq);
    if (this.stopped || this.timer || this.running) return;
    this.timer = this.schedule(() => this.flush(), this.delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  /** The region's loads; a computation that throws instead of answering is a failed one. */
  private read(regionId: string): Promise<L> {
    try {
      return this.deps.loads(regionId);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private flush(): void {
    this.timer = undefined;
    const due = [...this.due].filter(([regionId]) => this.deps.watched(regionId));
    this.due.clear();
    const started = this.now();
    this.running = Promise.all(
      due.map(([regionId, seq]) =>
        this.read(regionId)
          .then((loads) => this.deps.send(regionId, seq, loads))
          .catch((err: unknown) => this.deps.log.warn({ err }, 'load update failed')),
      ),
    ).then(() => {
      this.running = undefined;
      if (due.length > 0) this.delayMs = nextLoadDelay(this.now() - started);
      if (!this.stopped && this.due.size > 0) this.timer = this.schedule(() => this.flush(), this.delayMs);
    });
  }
}
