import type { Executor } from '../../db/client';
import { claimOpenTasks, type Claim, type ClaimOutcome } from './tasks-repo';

interface Waiting {
  claim: Claim;
  resolve: (outcome: ClaimOutcome) => void;
  reject: (err: unknown) => void;
}

/** PostgreSQL's deadlock_detected: it rolled the whole statement back. */
const DEADLOCK = '40P01';

const isDeadlock = (err: unknown): boolean => {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === DEADLOCK) return true;
  }
  return false;
};

export interface ClaimBatcherOptions {
  /** The most claims one statement takes. */
  maxBatch?: number;
  /** Told the claims of each statement, as it goes out. */
  onBatch?: (claims: readonly Claim[]) => void;
  /** Told the claims of a batch rolled back by a deadlock, as they are run again one by one. */
  onSplit?: (claims: readonly Claim[]) => void;
}

/**
 * Gathers the claims that arrive together (in the same turn of the event loop) into one claim
 * statement: one round trip and one commit for all of them, instead of one each. Under load many
 * claims arrive in each turn, so this is what lets a busy instance keep up; a lone claim waits for
 * nothing and goes out on its own. Each claim still gets its own outcome: the statement updates each
 * task at most once and answers every claim (see prepareClaims).
 *
 * A statement locks all the tasks it names at once, in the order of their ids, so two batches wait
 * for each other rather than deadlock. A deadlock is still possible with a transaction that locks
 * tasks in another order (an administrator's, say); PostgreSQL then rolls one of them back. If it is
 * a batch, its claims are run again, one statement each: a statement with one claim locks one task,
 * so it cannot be part of such a circle through the tasks.
 */
export class ClaimBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Executor,
    private readonly options: ClaimBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
  }

  claim(claim: Claim): Promise<ClaimOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ claim, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O of this turn: every request read in it has had its claim queued.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length <= this.maxBatch) {
      void this.run(waiting);
      return;
    }
    // More than one statement's worth: each task's claims go in the same statement, in their order,
    // so that they race there rather than between statements (unless one task alone fills more).
    const byTask = new Map<string, Waiting[]>();
    for (const w of waiting) {
      const group = byTask.get(w.claim.taskId);
      if (group) group.push(w);
      else byTask.set(w.claim.taskId, [w]);
    }
    let batch: Waiting[] = [];
    for (const group of byTask.values()) {
      if (batch.length > 0 && batch.length + group.length > this.maxBatch) {
        void this.run(batch);
        batch = [];
      }
      for (const w of group) {
        batch.push(w);
        if (batch.length === this.maxBatch) {
          void this.run(batch);
          batch = [];
        }
      }
    }
    if (batch.length > 0) void this.run(batch);
  }

  /** Tells a watcher (the metrics), which must not stop a claim by failing. */
  private tell(watcher: ((claims: readonly Claim[]) => void) | undefined, claims: readonly Claim[]): void {
    try {
      watcher?.(claims);
    } catch {
      // A count lost, nothing else.
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    const claims = batch.map((w) => w.claim);
    this.tell(this.options.onBatch, claims);
    try {
      const outcomes = await claimOpenTasks(this.db, claims);
      batch.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (err) {
      // Only a deadlock is known to have rolled everything back; after any other error (a lost
      // connection, say) the statement may have committed, and running it again would answer a
      // winner that someone else holds the task.
      if (batch.length > 1 && isDeadlock(err)) {
        this.tell(this.options.onSplit, claims);
        await Promise.all(batch.map((w) => this.run([w])));
        return;
      }
      for (const w of batch) w.reject(err);
    }
  }
}
