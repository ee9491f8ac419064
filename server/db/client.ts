import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { Pool, type PoolClient } from 'pg';
import { withCompiledRows } from './compiled-rows';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  readonly db: Db;
  readonly driver: 'pglite' | 'postgres';
  /** The server's connection pool, for what needs a connection of its own (the Socket.IO adapter). */
  readonly pool?: Pool;
  /** Apply pending migrations; safe to call on every start and from several instances at once. */
  migrate(): Promise<void>;
  /** Run `fn` while holding a lock that other instances starting on the same database wait for. */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` from any instance, on a connection of its own
   * that comes back by itself after a failure (PostgreSQL); PGlite tells its own process.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onError: (err: unknown) => void,
  ): Promise<() => Promise<void>>;
  /** Refreshes the planner's statistics where nothing else does: PGlite has no autovacuum. */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(__dirname, 'migrations');
const STARTUP_LOCK = 7_402_311;

export interface DatabaseOptions {
  /** A PostgreSQL connection string; without one the embedded PGlite is used. */
  url?: string;
  /** Where PGlite keeps its files; `memory://` keeps nothing. */
  dataDir: string;
  poolSize?: number;
  /**
   * PostgreSQL's `max_parallel_workers_per_gather` for the app's connections (unset: the server's own).
   * The app runs many short statements at once; a parallel plan makes one aggregate use cores the
   * other requests are waiting for, and on a small host it is slower even alone (docs/decisions.md).
   */
  parallelWorkers?: number;
  /** Told the SQL text of every statement the app runs (tests that compare two paths' statements). */
  onQuery?: (sql: string) => void;
  /** Where the migrations are read from: the app's own unless a test brings a past state of them. */
  migrationsFolder?: string;
}

const queryLogger = (onQuery: ((sql: string) => void) | undefined) =>
  onQuery ? { logger: { logQuery: (query: string) => onQuery(query) } } : {};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const folder = options.migrationsFolder ?? migrationsFolder;
  return options.url
    ? openPostgres(
        options.url,
        { max: options.poolSize ?? 20, parallelWorkers: options.parallelWorkers },
        folder,
        options.onQuery,
      )
    : openPglite(options.dataDir, folder, options.onQuery);
}

async function openPglite(
  dataDir: string,
  migrationsFolder: string,
  onQuery?: (sql: string) => void,
): Promise<Database> {
  let target = dataDir;
  if (!dataDir.startsWith('memory://')) {
    target = path.resolve(dataDir, 'pgdata');
    fs.mkdirSync(target, { recursive: true });
  }
  // pg_trgm: the board's search index (migration 0012 creates the extension).
  const client = await PGlite.create(target, { extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, ...queryLogger(onQuery) }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    // One process owns an embedded database, so there is no one else to wait for.
    withStartupLock: (fn) => fn(),
    ping: async () => {
      await client.query('select 1');
    },
    analyze: async () => {
      await client.query('analyze');
    },
    // Every change comes from this process, but a notification sent by hand (or by a test) is heard too.
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return async () => {
        await unlisten().catch(() => undefined);
      };
    },
    close: () => client.close(),
  };
}

function openPostgres(
  url: string,
  { max, parallelWorkers }: { max: number; parallelWorkers: number | undefined },
  migrationsFolder: string,
  onQuery?: (sql: string) => void,
): Database {
  const pool = new Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    // Sent as the connection starts; an `options` parameter in the URL itself takes precedence.
    ...(parallelWorkers === undefined ? {} : { options: `-c max_parallel_workers_per_gather=${parallelWorkers}` }),
  });
  // A connection the server ends (a restart, a failover) must not crash the process. The pool
  // handles its idle clients' errors; a checked-out client (a listener, the socket adapter's) would
  // otherwise have none. The query under way fails on its own, and the next one reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzlePg(pool, { schema, ...queryLogger(onQuery) }) as unknown as Db;
  db.transaction = transactionsOn(pool, onQuery);
  const listeners = new Set<() => Promise<void>>();
  return {
    db,
    driver: 'postgres',
    pool,
    migrate: () => migratePg(drizzlePg(pool), { migrationsFolder }),
    withStartupLock: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    // The server's autovacuum keeps the statistics.
    analyze: () => Promise.resolve(),
    listen: async (channel, onNotify, onError) => {
      const stop = await listenOnPool(pool, channel, onNotify, onError);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    // A listener holds its connection until it stops: closing stops the ones still running first.
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      listeners.clear();
      await pool.end();
    },
  };
}

/**
 * Transactions on the server pool. drizzle's own takes a connection from the pool and gives it back
 * only once `begin` has succeeded: a connection that fails there (one the server ended just as it was
 * handed out, in a restart or a failover) stayed out of the pool for good, a slot lost each time, and
 * closing the pool waited for it forever. Here the transaction's connection is taken and always given
 * back, and destroyed rather than reused if it broke meanwhile.
 */
function transactionsOn(pool: Pool, onQuery: ((sql: string) => void) | undefined): Db['transaction'] {
  // A drizzle on one connection runs begin, the work, commit or rollback, and releases nothing; one per
  // connection, made the first time a transaction gets it.
  const onConnection = new WeakMap<PoolClient, Db>();
  const drizzleOn = (client: PoolClient) => {
    let tx = onConnection.get(client);
    if (!tx) {
      tx = drizzlePg(client, queryLogger(onQuery)) as unknown as Db;
      onConnection.set(client, tx);
    }
    return tx;
  };
  return async (fn, config) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    const onEnd = () => {
      broken ??= new Error('the connection ended during a transaction');
    };
    client.on('error', onError);
    client.once('end', onEnd);
    try {
      return await drizzleOn(client).transaction(fn, config);
    } finally {
      client.off('error', onError);
      client.off('end', onEnd);
      client.release(broken);
    }
  };
}

async function listenOnPool(
  pool: Pool,
  channel: string,
  onNotify: (payload: string) => void,
  onError: (err: unknown) => void,
) {
  let stopped = false;
  let client: PoolClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  const onNotification = (msg: { channel: string; payload?: string }) => {
    if (msg.channel === channel) onNotify(msg.payload ?? '');
  };
  // The listening connection is ours until we give it up, and then it is destroyed, not pooled:
  // a connection left LISTENing must not serve queries, and its handlers must not outlive it.
  const giveUp = (c: PoolClient, err?: Error) => {
    c.off('notification', onNotification);
    c.off('error', onClientError);
    if (client === c) client = undefined;
    c.release(err ?? true);
  };
  function onClientError(this: PoolClient, err: Error) {
    onError(err);
    giveUp(this, err);
    if (!stopped) retry = setTimeout(() => void connect(), 1000);
  }
  const connect = async (): Promise<void> => {
    let c: PoolClient | undefined;
    try {
      c = await pool.connect();
      // Stopped while waiting for it (the database is closing): a connection kept now would never be
      // given back, and closing the pool would wait for it forever.
      if (stopped) {
        c.release(true);
        return;
      }
      client = c;
      c.on('notification', onNotification);
      c.on('error', onClientError);
      await c.query(`LISTEN "${channel}"`);
    } catch (err) {
      // An error event may have handled this connection already; otherwise give it up here.
      if (c && client !== c) return;
      onError(err);
      if (c) giveUp(c, err instanceof Error ? err : undefined);
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    }
  };
  await connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    if (client) giveUp(client);
    return Promise.resolve();
  };
}

/**
 * A statement built once per database by `build` (a drizzle `.prepare(name)`), which PostgreSQL then
 * prepares on each connection the first time it runs there: for the queries on the hot paths. Its
 * rows are mapped with decoders worked out once (compiled-rows.ts).
 */
export function preparedOnce<S>(build: (db: Executor) => S): (db: Executor) => S {
  const built = new WeakMap<Executor, S>();
  return (db) => {
    let statement = built.get(db);
    if (!statement) {
      statement = withCompiledRows(build(db));
      built.set(db, statement);
    }
    return statement;
  };
}

/** Runs `fn` in one transaction: all of its writes commit together or none do. */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/** A write refused by a unique index (a name or code taken), on either driver. */
export function isUniqueViolation(err: unknown): boolean {
  const found = err as { code?: string; cause?: { code?: string } } | null;
  return found?.code === '23505' || found?.cause?.code === '23505';
}
