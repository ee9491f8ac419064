/**
 * What the claim benchmark reads off the app it runs in this process: a CPU profile of its thread,
 * the SQL statements it sends, and the claim statements it has run (from its own metrics).
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import { Client } from 'pg';
import type { Running } from '../server/server';
import { log } from './bench-support';

/** The V8 profiler on this thread (the app's), for one phase. */
export async function startProfiler(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      log(`  CPU profile of the claim phase: ${file}`);
    },
  };
}

/**
 * Counts the statements the app sends through node-postgres (pools and transactions alike go through
 * Client#query), to tell how many round trips a claim costs.
 */
export const statements = { count: 0 };
export function countStatements(): () => void {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function query(this: unknown, ...args: unknown[]): unknown {
    statements.count++;
    return Reflect.apply(original, this, args);
  };
  return () => {
    proto.query = original;
  };
}

/** The claims the app has run so far and the claim statements they went out in (its own metrics). */
export async function claimBatches(running: Running): Promise<{ claims: number; statements: number }> {
  const { values } = await running.metrics.claimBatchSize.get();
  const total = (suffix: string) =>
    values.find((v) => v.metricName === `entraide_claim_batch_size_${suffix}`)?.value ?? 0;
  return { claims: total('sum'), statements: total('count') };
}
