import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../server/db/client';
import { events } from '../../server/db/schema';
import { createLogger } from '../../server/logger';
import { startEntraide } from '../../server/server';
import { makeWorld, postTask } from '../factories';
import { drivers, startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const root = path.resolve(__dirname, '../..');

/** `npm run verify-audit` from the sources (the compiled one is the same code), with `env`. */
function verifyAudit(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/verify-audit.ts', ...args], {
      cwd: root,
      // Secrets given, so that loading the configuration writes nothing next to the data.
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_KEY: 'ab'.repeat(32),
        SESSION_SECRET: 's'.repeat(40),
        DATA_DIR: os.tmpdir(),
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** An app on a database that outlives it: a PGlite directory, or a database of the PostgreSQL server. */
async function appWithHistory(
  driver: (typeof drivers)[number],
): Promise<{ app?: TestApp; env: Record<string, string> }> {
  if (driver === 'postgres') {
    const app = await startTestApp('postgres');
    const w = await makeWorld(app);
    await postTask(w.manager);
    return { app, env: { DATABASE_URL: app.config.databaseUrl ?? '' } };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-verify-'));
  const config = testConfig({ DATA_DIR: dataDir });
  const running = await startEntraide(config, createLogger('silent'));
  const app: TestApp = {
    driver,
    running,
    url: running.url,
    config,
    anonymous: () => {
      throw new Error('not used here');
    },
    stop: () => running.stop(),
  };
  const w = await makeWorld(app);
  await postTask(w.manager);
  // PGlite's directory belongs to one process: the server stops before the check opens it.
  await running.stop();
  return { env: { DATA_DIR: dataDir } };
}

describe.each(drivers)('npm run verify-audit on %s', (driver) => {
  it('reports both chains whole with their heads, then the first broken link after tampering, with exit 1', async () => {
    const { app, env } = await appWithHistory(driver);
    try {
      const whole = await verifyAudit(env);
      expect(whole.out).toMatch(/^events: \d+ numbered, every link holds; head \d+:[0-9a-f]{64}$/m);
      expect(whole.out).toMatch(/^audit trail: \d+ numbered, every link holds/m);
      expect(whole.code).toBe(0);
      const head = /head (\d+:[0-9a-f]{64})/.exec(whole.out)?.[1] ?? '';
      expect((await verifyAudit(env, ['--events-head', head])).code).toBe(0);
      expect((await verifyAudit(env, ['--events-head', 'not-a-head'])).code).toBe(2);

      const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '', poolSize: 2 });
      try {
        await database.db.execute(sql`alter table events disable trigger user`);
        await database.db.update(events).set({ note: 'réécrit' }).where(eq(events.seq, 1));
        await database.db.execute(sql`alter table events enable trigger user`);
      } finally {
        await database.close();
      }
      const broken = await verifyAudit(env);
      expect(broken.out).toMatch(/^events: BROKEN at 1: its content does not match its hash/m);
      expect(broken.code).toBe(1);
    } finally {
      await app?.stop();
      if (env.DATA_DIR) fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
    }
  }, 180_000); // Four child processes from the TypeScript sources, and a database on disk.
});
