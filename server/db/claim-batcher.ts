import type { Executor } from './client';
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
  /** Told the size of each statement's batch. */
  onBatch?: (claims: number) => void;
  /** Told when a batch was rolled back by a deadlock and its claims are run one by one. */
  onSplit?: (claims: number) => void;
}

/**
 * Gathers the claims that arrive together (in the same turn of the event loop) into one claim
 * statement: one round trip and one commit for all of them, instead of one each. Under load many
 * claims arrive in each turn, so this is what lets a busy instance keep up; a lone claim waits for
 * nothing and goes out on its own. Each claim still gets its own outcome: the statement updates each
 * task at most once and answers every claim (see prepareClaims).
 *
 * A statement locks the tasks it claims in the order of their ids, so two batches claiming the same
 * tasks wait for each other rather than deadlock. A deadlock is still possible with other locks (a
 * batch that reads a task another transaction holds while that one waits for the batch); PostgreSQL
 * then rolls one of them back. If it is a batch, its claims are run again, one statement each: a
 * statement with one claim locks one task, so it cannot close such a circle through the tasks.
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
    for (let i = 0; i < waiting.length; i += this.maxBatch) void this.run(waiting.slice(i, i + this.maxBatch));
  }

  private async run(batch: Waiting[]): Promise<void> {
    this.options.onBatch?.(batch.length);
    try {
      const outcomes = await claimOpenTasks(this.db, batch.map((w) => w.claim));
      batch.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (err) {
      if (batch.length > 1 && isDeadlock(err)) {
        this.options.onSplit?.(batch.length);
        await Promise.all(batch.map((w) => this.run([w])));
        return;
      }
      for (const w of batch) w.reject(err);
    }
  }
}
