import { eq, sql } from 'drizzle-orm';
import type { Executor } from './client';
import { jobs } from './schema';

/** A job new to this database is due at once. */
export async function ensureJob(db: Executor, name: string, now: Date): Promise<void> {
  await db.insert(jobs).values({ name, nextRunAt: now }).onConflictDoNothing();
}

/**
 * Takes the job's row if it is due, in the caller's transaction; SKIP LOCKED lets another instance
 * checking at the same moment pass it by instead of waiting to run it again.
 */
export async function takeDueJob(tx: Executor, name: string, now: Date): Promise<boolean> {
  const rows = await tx
    .select({ name: jobs.name })
    .from(jobs)
    .where(sql`${jobs.name} = ${name} and ${jobs.nextRunAt} <= ${now}`)
    .for('update', { skipLocked: true });
  return rows.length > 0;
}

export async function jobDone(tx: Executor, name: string, now: Date, nextRunAt: Date): Promise<void> {
  await tx
    .update(jobs)
    .set({ nextRunAt, lastRunAt: now, lastError: null, runs: sql`${jobs.runs} + 1` })
    .where(eq(jobs.name, name));
}

export async function jobFailed(db: Executor, name: string, nextRunAt: Date, error: string): Promise<void> {
  await db.update(jobs).set({ nextRunAt, lastError: error }).where(eq(jobs.name, name));
}
