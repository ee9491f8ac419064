import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import request from 'supertest';
import { loadConfig, type Config } from '../../server/config';
import type { Clock } from '../../server/core/clock';
import { openDatabase } from '../../server/db/client';
import { createLogger } from '../../server/logger';
import { startEntraide, type Running } from '../../server/server';

export type Driver = 'pglite' | 'postgres';

/** PGlite always; the PostgreSQL server too when TEST_DATABASE_URL names one. */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestApp {
  driver: Driver;
  running: Running;
  url: string;
  config: Config;
  /** A fresh anonymous client. */
  anonymous(): request.Agent;
  stop(): Promise<void>;
}

/** A database of its own on the test server, dropped when the app stops. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `entraide_t_${process.env.ENTRAIDE_TEST_RUN ?? 'local'}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** The bearer token the test apps ask for on /metrics. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** The app's Prometheus text, read as a scraper does. */
export async function metricsText(app: TestApp): Promise<string> {
  const res = await app.anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
  if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  return res.text;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-test-')),
    DATA_KEY: crypto.randomBytes(32).toString('hex'),
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    METRICS_TOKEN,
    ...overrides,
  });
}

/**
 * A second instance of `first`'s app on the same database, as in a deployment: on PostgreSQL, with
 * a connection pool of its own; on PGlite, which belongs to one process, on `first`'s embedded
 * database (the second app does not close it: `first` does).
 */
export async function startSecondInstance(first: TestApp, options: { clock?: Clock } = {}): Promise<TestApp> {
  const url = first.config.databaseUrl;
  const config = testConfig({
    ...(url ? { DATABASE_URL: url, DATABASE_POOL_SIZE: '10' } : {}),
    DATA_KEY: first.config.dataKey.toString('hex'),
    SESSION_SECRET: first.config.sessionSecret,
    CITIZEN_RETENTION_DAYS: String(first.config.citizenRetentionDays),
    JOBS_CHECK_SECONDS: String(first.config.jobsCheckMs / 1000),
  });
  const shared = first.running.database;
  const database = url ? undefined : { ...shared, close: () => Promise.resolve() };
  const running = await startEntraide(config, createLogger('silent'), { clock: options.clock, database });
  return {
    driver: first.driver,
    running,
    url: running.url,
    config,
    anonymous: () => request.agent(running.url),
    async stop() {
      await running.stop();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the real app on a free port, on a database of its own. */
export async function startTestApp(
  driver: Driver,
  overrides: Record<string, string> = {},
  options: { log?: Logger; clock?: Clock; onQuery?: (sql: string) => void } = {},
): Promise<TestApp> {
  const server = driver === 'postgres' ? await createServerDatabase() : undefined;
  const config = testConfig({
    ...overrides,
    ...(server ? { DATABASE_URL: server.url, DATABASE_POOL_SIZE: '10' } : {}),
  });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: server ? config.dataDir : 'memory://',
    poolSize: config.databasePoolSize,
    parallelWorkers: config.databaseParallelWorkers,
    onQuery: options.onQuery,
  });
  const running = await startEntraide(config, options.log ?? createLogger('silent'), {
    database,
    clock: options.clock,
  });
  return {
    driver,
    running,
    url: running.url,
    config,
    anonymous: () => request.agent(running.url),
    async stop() {
      try {
        await running.stop();
      } finally {
        await server?.drop();
        fs.rmSync(config.dataDir, { recursive: true, force: true });
      }
    },
  };
}
