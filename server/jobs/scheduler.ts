import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import type { Db, Executor } from '../db/client';
import { ensureJob, jobDone, jobFailed, takeDueJob } from '../db/jobs';

/** A job that runs on a schedule inside the server: each run is one transaction, on one instance. */
export interface Job {
  name: string;
  /** Time between two runs. */
  everyMs: number;
  /** Does the work in `tx` (every write of a run commits together) as of `now`; says what it did. */
  run(tx: Executor, now: Date): Promise<Record<string, number>>;
  /** What to do once a run has committed (publish what it wrote, send what it took); awaited. */
  afterCommit?(): Promise<void>;
}

export interface JobRun {
  name: string;
  result: Record<string, number>;
}

/**
 * Runs the jobs that are due, each once across every instance sharing the database: a run takes its
 * job's row FOR UPDATE SKIP LOCKED, so another instance checking at the same moment skips it, and the
 * run's work commits with the job's next due time. The schedule is in the database, so it survives
 * a restart; the clock is the app's (a test moves it by hand).
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<JobRun[]> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly jobList: readonly Job[],
    /** Told after each run that did something (the sequencers number what it wrote). */
    private readonly afterRun: (run: JobRun) => void = () => undefined,
  ) {}

  start(checkEveryMs = 15_000): void {
    this.timer ??= setInterval(() => void this.runDue().catch(() => undefined), checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Runs every job that is due now, one after the other; a run already under way is joined. */
  runDue(): Promise<JobRun[]> {
    this.running ??= this.runAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runAll(): Promise<JobRun[]> {
    const runs: JobRun[] = [];
    for (const job of this.jobList) {
      const run = await this.runOne(job).catch(async (err: unknown) => {
        this.log.error({ err, job: job.name }, 'scheduled job failed');
        await this.failed(job, err);
        return undefined;
      });
      if (run) {
        await job.afterCommit?.().catch((err: unknown) => {
          this.log.error({ err, job: job.name }, 'scheduled job failed after its run');
        });
        runs.push(run);
        this.afterRun(run);
      }
    }
    return runs;
  }

  private async runOne(job: Job): Promise<JobRun | undefined> {
    const now = this.clock.now();
    await ensureJob(this.db, job.name, now);
    return this.db.transaction(async (tx) => {
      if (!(await takeDueJob(tx, job.name, now))) return undefined;
      const result = await job.run(tx, now);
      await jobDone(tx, job.name, now, new Date(now.getTime() + job.everyMs));
      return { name: job.name, result };
    });
  }

  /** A failed run is tried again after a tenth of its interval, at most five minutes later. */
  private async failed(job: Job, err: unknown): Promise<void> {
    const now = this.clock.now();
    // What failed, not the values it failed on (a database error's message quotes them): the log has more.
    const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
    const what = err instanceof Error ? [err.name, typeof code === 'string' ? code : ''].join(' ').trim() : 'failed';
    const retryAt = new Date(now.getTime() + Math.min(job.everyMs / 10, 5 * 60_000));
    await jobFailed(this.db, job.name, retryAt, what).catch(() => undefined);
  }
}
