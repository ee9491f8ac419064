/**
 * What bench/claims.ts and bench/fanout.ts share: integer settings from the environment, a throwaway
 * PostgreSQL database and a temporary data directory (and their clean-up, also when a run is
 * interrupted), the app started on them, the bench region with its communes and users, logging in,
 * posting tasks in bulk, worker threads running one of bench/'s TypeScript files, latency percentiles,
 * and how a benchmark process ends.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { hashPassword } from '../server/resources/auth/passwords';
import { loadConfig, type Config } from '../server/config';
import type { Executor } from '../server/db/client';
import { insertCommune, insertRegion } from '../server/resources/communes/communes-repo';
import { coordinationSettings } from '../shared/schemas';
import { regionSettings, type CommuneRow, type UserRow } from '../server/db/schema';
import { insertUser } from '../server/resources/accounts/accounts-repo';
import { createLogger } from '../server/logger';
import { startEntraide, type Running } from '../server/server';
import { request } from './claim-clients';

export type Driver = 'postgres' | 'pglite';

const env = process.env;

/** The databases a benchmark runs on, in order: BENCH_DRIVERS (default "postgres,pglite"). */
export function driversEnv(): Driver[] {
  return (env.BENCH_DRIVERS ?? 'postgres,pglite')
    .split(',')
    .map((d) => d.trim())
    .filter((d): d is Driver => d === 'postgres' || d === 'pglite');
}

/** The integer in environment variable `name`, or `fallback` when it is unset or empty. */
export const intEnv = (name: string, fallback: number, min = 1): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got ${raw})`);
  return value;
};

/** BENCH_DATABASE_URL: the admin connection to PostgreSQL, where the throwaway databases are made. */
export const adminUrl = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The most tasks one bulk post takes. */
export const BULK_MAX = 1000;
/** Every bench user's password. */
const PASSWORD = `bench-${crypto.randomBytes(9).toString('base64url')}`;
export const resultsDir = path.join(__dirname, 'results');

// ---------------------------------------------------------------------------------------------
// Small helpers

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

export function latency(values: ArrayLike<number>): Latency {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, min: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += v;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(at(1)),
    min: round(sorted[0] ?? 0),
    mean: round(sum / sorted.length),
  };
}

/** When and where a result was measured: the first fields of every result file. */
export interface Machine {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
}

export function machine(): Machine {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
  };
}

/** CPU time used so far, in ms: this process's main thread (the app) and every PostgreSQL process. */
export interface CpuSnapshot {
  appMs: number;
  /** The whole bench process: the app's thread, the clients' worker thread, and Node's helper threads. */
  processMs: number;
  postgresMs: number;
}

const ticksToMs = (stat: string): number => {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};
/** Linux counts CPU time in clock ticks of 1/100 s on every platform Node runs on. */
const CLOCK_TICKS = 100;

/**
 * Where /proc tells (Linux), the CPU time of the app's thread and of PostgreSQL's processes, so a run
 * can say what one claim costs each, which holds better than a rate on a machine shared with others.
 * PostgreSQL's processes are those named postgres: on a machine that serves other databases too, the
 * figure includes their work.
 */
export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const appMs = ticksToMs(fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
    const processMs = ticksToMs(fs.readFileSync('/proc/self/stat', 'utf8'));
    let postgresMs = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.includes('(postgres)')) postgresMs += ticksToMs(stat);
      } catch {
        // The process ended while we looked.
      }
    }
    return { appMs, processMs, postgresMs };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a throwaway database on the server, and a temporary data directory

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL at adminUrl does not answer, or undefined when it does. */
export async function postgresAnswers(): Promise<string | undefined> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return undefined;
  } catch (err) {
    return message(err);
  }
}

/** adminUrl without its password, to show. */
export function safeAdminUrl(): string {
  const safeUrl = new URL(adminUrl);
  safeUrl.password = '';
  return safeUrl.toString();
}

/** Databases still to drop and directories still to remove, so that an interrupted run cleans up too. */
const toDrop = new Set<string>();
const toRemove = new Set<string>();

export interface BenchDatabase {
  name: string;
  url: string;
  version: string;
}

/** Creates the database `<prefix><random>`, to be dropped by dropBenchDatabase or cleanUp. */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}${crypto.randomBytes(6).toString('hex')}`;
  const version = await withAdmin(async (client) => {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    await client.query(`create database "${name}"`);
    return rows[0]?.server_version ?? 'unknown';
  });
  toDrop.add(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), version };
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
  toDrop.delete(name);
}

/** A fresh temporary directory `<tmp>/<prefix>XXXXXX`, to be removed by removeDataDir or cleanUp. */
export function makeDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  toRemove.add(dir);
  return dir;
}

export function removeDataDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  toRemove.delete(dir);
}

/** Removes the directories and drops the databases not yet cleaned up. */
export async function cleanUp(): Promise<void> {
  for (const dir of [...toRemove]) removeDataDir(dir);
  for (const name of [...toDrop]) {
    try {
      await dropBenchDatabase(name);
      log(`dropped database ${name}`);
    } catch (err) {
      log(`could not drop database ${name}: ${message(err)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The app, and what the benchmarks put in it

/** The app's configuration for a bench run: an ephemeral port, fresh secrets, no demo, no logs. */
export function benchConfig(options: {
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize?: string | undefined;
}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_KEY: crypto.randomBytes(32).toString('hex'),
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: options.poolSize,
    DATABASE_PARALLEL_WORKERS: env.DATABASE_PARALLEL_WORKERS,
  });
}

export function startApp(config: Config): Promise<Running> {
  return startEntraide(config, createLogger(config.logLevel));
}

export interface InstanceProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another instance of the app on `config`'s PostgreSQL database, in a process of its own started the
 * way `npm start` starts one, with the same secrets: as a deployment runs several behind its proxy.
 */
export async function startInstanceProcess(config: Config): Promise<InstanceProcess> {
  if (!config.databaseUrl) throw new Error('another instance needs the PostgreSQL server');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../server/main.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DATABASE_URL: config.databaseUrl,
      DATABASE_POOL_SIZE: String(config.databasePoolSize),
      DATABASE_PARALLEL_WORKERS: String(config.databaseParallelWorkers),
      DATA_KEY: config.dataKey.toString('hex'),
      SESSION_SECRET: config.sessionSecret,
      DATA_DIR: config.dataDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('another instance was not ready within 60 s')), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const ready = /ready at (http:\/\/\S+)/.exec(out);
        if (ready?.[1]) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`another instance exited (${code}) before it was ready`));
      });
    });
    child.stdout.resume();
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface BenchRegion {
  region: { id: string; name: string };
  /** Adds commune `code` to the region; `i` spreads the communes' coordinates. */
  commune: (code: string, name: string, i: number) => Promise<CommuneRow>;
  /** Adds a user with the bench password, hashed now unless `passwordHash` is given. */
  user: (username: string, role: 'manager' | 'clerk', communeId: string, passwordHash?: string) => Promise<UserRow>;
}

/** Creates the region `name`, straight through the repositories, and returns how to fill it. */
export async function benchRegion(db: Executor, name: string): Promise<BenchRegion> {
  const region = await insertRegion(db, name);
  if (!region) throw new Error('the bench region already exists');
  // The benches hold thousands of claims per commune: the region allows the most a region may set.
  // The claim statement still counts each commune's active claims, as it always does.
  await db
    .insert(regionSettings)
    .values({ regionId: region.id, maxActiveClaimsPerCommune: coordinationSettings.maxActiveClaimsPerCommune.max });
  return {
    region,
    commune: async (code, communeName, i) => {
      const row = await insertCommune(db, {
        code,
        name: communeName,
        regionId: region.id,
        latitude: 50.6 + i / 100,
        longitude: 5.5 + i / 100,
      });
      if (!row) throw new Error(`commune ${code} already exists`);
      return row;
    },
    user: async (username, role, communeId, passwordHash) =>
      insertUser(db, {
        username,
        role,
        communeId,
        displayName: username,
        passwordHash: passwordHash ?? (await hashPassword(PASSWORD)),
      }),
  };
}

/** The bench password's hash, for users that share one. */
/** The password of every bench user: for signing in through the browser's login page. */
export function benchPassword(): string {
  return PASSWORD;
}

export function benchPasswordHash(): Promise<string> {
  return hashPassword(PASSWORD);
}

function sessionCookie(setCookie: string[]): string {
  const cookie = setCookie.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('entraide.sid='));
  if (!cookie) throw new Error('login answered without a session cookie');
  return cookie;
}

/** Logs in as a bench user; returns the session cookie. */
export async function login(base: URL, username: string, timeoutMs?: number): Promise<string> {
  const answer = await request(base, {
    method: 'POST',
    path: '/api/v1/auth/login',
    json: { username, password: PASSWORD },
    keepBody: true,
    timeoutMs,
  });
  if (answer.status !== 200)
    throw new Error(`login as ${username}: ${answer.status} ${answer.error ?? answer.body.slice(0, 200)}`);
  return sessionCookie(answer.setCookie);
}

function taskIdsOf(body: string): string[] {
  const parsed: unknown = JSON.parse(body);
  const items = typeof parsed === 'object' && parsed !== null ? (parsed as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) throw new Error(`bulk post answered without items: ${body.slice(0, 200)}`);
  return items.map((item: unknown) => {
    const id = typeof item === 'object' && item !== null ? (item as { task?: { id?: unknown } }).task?.id : undefined;
    if (typeof id !== 'string') throw new Error('bulk post answered an item without a task id');
    return id;
  });
}

/** Posts `count` tasks titled "<label> task <n>" in batches of at most BULK_MAX; returns their ids. */
export async function postTasks(
  base: URL,
  cookie: string,
  count: number,
  label: string,
  timeoutMs: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += BULK_MAX) {
    const rows = Array.from({ length: Math.min(BULK_MAX, count - start) }, (_, i) => ({
      type: 'certificat_residence',
      title: `${label} task ${start + i + 1}`,
    }));
    const answer = await request(base, {
      method: 'POST',
      path: '/api/v1/tasks/bulk',
      cookie,
      json: rows,
      keepBody: true,
      timeoutMs,
    });
    if (answer.status !== 201)
      throw new Error(`bulk post: ${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`);
    ids.push(...taskIdsOf(answer.body));
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Worker threads, and the end of the process

/** A worker thread running `file` (a TypeScript file in bench/, through tsx) with `workerData`. */
export function startWorker(file: string, workerData: unknown): Worker {
  const loader = require.resolve('tsx/cjs');
  const script = path.join(__dirname, file);
  return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(script)});`, {
    eval: true,
    workerData,
  });
}

/**
 * Abandons the run, dropping `what` (the bench databases) first: the app's connections die with its
 * database, and their errors no longer matter.
 */
export function abandon(reason: string, code: number, what: string): void {
  log(`\n${reason}: dropping the ${what}`);
  process.on('uncaughtException', () => undefined);
  process.on('unhandledRejection', () => undefined);
  void cleanUp().finally(() => process.exit(code));
}

/** Ends the process with `code` once it is done, or after 5 s at the most. */
export function exitWith(code: number): void {
  process.exitCode = code;
  // Leftover handles (idle sockets, timers) must not keep the process alive.
  setTimeout(() => process.exit(code), 5_000).unref();
}

/** Reports a benchmark that threw, cleans up and exits 1. */
export async function exitOnError(err: unknown): Promise<void> {
  log(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await cleanUp();
  process.exit(1);
}
