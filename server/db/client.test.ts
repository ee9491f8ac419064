import { sql } from 'drizzle-orm';
import { drivers } from '../../test/helpers/test-app';
import { openDatabase, type Database } from './client';

/** `max_parallel_workers_per_gather` as each of `n` connections of the pool, held at once, sees it. */
async function parallelWorkersSeen(database: Database, n: number): Promise<string[]> {
  const pool = database.pool;
  if (!pool) throw new Error('not a server pool');
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (client) => {
        const { rows } = await client.query<{ value: string }>(
          "select current_setting('max_parallel_workers_per_gather') as value",
        );
        return rows[0]?.value ?? '';
      }),
    );
  } finally {
    for (const client of clients) client.release();
  }
}

describe('the database connection', () => {
  it('opens PGlite with a parallel workers setting, which it has no use for', async () => {
    const database = await openDatabase({ dataDir: 'memory://', parallelWorkers: 0 });
    try {
      const result: unknown = await database.db.execute(sql`select 1 as one`);
      expect((result as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });

  if (drivers.includes('postgres')) {
    const url = process.env.TEST_DATABASE_URL ?? '';

    it('sets the parallel workers on every PostgreSQL connection of the pool', async () => {
      for (const workers of [0, 3]) {
        const database = await openDatabase({ url, dataDir: 'memory://', poolSize: 3, parallelWorkers: workers });
        try {
          expect(await parallelWorkersSeen(database, 3)).toEqual(Array(3).fill(String(workers)));
        } finally {
          await database.close();
        }
      }
    });

    it("gives a transaction's connection back when begin fails, and destroys one that broke", async () => {
      const database = await openDatabase({ url, dataDir: 'memory://', poolSize: 1 });
      const pool = database.pool;
      if (!pool) throw new Error('not a server pool');
      try {
        // A begin the server refuses: drizzle's own transaction kept that connection out for good.
        const refused = { isolationLevel: 'no such level' } as unknown as Parameters<Database['db']['transaction']>[1];
        for (let i = 0; i < 3; i++) {
          await expect(database.db.transaction(() => Promise.resolve(1), refused)).rejects.toThrow();
        }
        expect([pool.totalCount, pool.idleCount]).toEqual([1, 1]);
        // A connection the server ends inside the transaction: not put back to serve the next one.
        await expect(
          database.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
          }),
        ).rejects.toThrow();
        expect(pool.totalCount).toBe(0);
        // The one slot serves again, and closing does not wait for a lost connection.
        await expect(database.db.transaction((tx) => tx.execute(sql`select 1`))).resolves.toBeDefined();
      } finally {
        await database.close();
      }
    });

    it("leaves the server's own setting when none is given, and lets the URL's options win", async () => {
      const plain = await openDatabase({ url, dataDir: 'memory://', poolSize: 1 });
      let serverDefault: string | undefined;
      try {
        [serverDefault] = await parallelWorkersSeen(plain, 1);
      } finally {
        await plain.close();
      }
      expect(serverDefault).toMatch(/^\d+$/);
      const withOptions = new URL(url);
      withOptions.searchParams.set('options', '-c max_parallel_workers_per_gather=5');
      const database = await openDatabase({
        url: withOptions.toString(),
        dataDir: 'memory://',
        poolSize: 1,
        parallelWorkers: 0,
      });
      try {
        expect(await parallelWorkersSeen(database, 1)).toEqual(['5']);
      } finally {
        await database.close();
      }
    });
  }
});
