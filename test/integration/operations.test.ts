import crypto from 'node:crypto';
import { Client, Pool } from 'pg';
import { openDatabase } from '../../server/db/client';
import { createLogger } from '../../server/logger';
import { poolForAdapter } from '../../server/realtime/socket-server';
import { PASSWORD, makeCommune, makeUser, postTask } from '../factories';
import { connectBoard, nextEvent } from '../helpers/sockets';
import { drivers, METRICS_TOKEN, startSecondInstance, startTestApp } from '../helpers/test-app';
import { useTestApp, useWorld } from '../helpers/use-test-app';

describe.each(drivers)('operations on %s', (driver) => {
  const t = useTestApp(driver);

  it('answers /healthz and /readyz with the database driver', async () => {
    expect((await t.app.anonymous().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.app.anonymous().get('/readyz')).body).toEqual({ status: 'ready', database: driver });
  });

  it('exposes Prometheus metrics with the HTTP latency histogram and claim counters', async () => {
    await t.app.anonymous().get('/api/v1/me');
    const res = await t.app.anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/entraide_http_request_duration_seconds_bucket\{.*le="0.05".*\}/);
    expect(res.text).toContain('entraide_claims_total');
    expect(res.text).toContain('entraide_claim_conflicts_total');
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('serves an OpenAPI 3 document generated from the shared schemas, and a docs page', async () => {
    const res = await t.app.anonymous().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/tasks',
        '/tasks/{id}/claim',
        '/tasks/bulk',
        '/changes',
        '/auth/login',
        '/auth/access-code',
        '/users/{id}/access-codes',
      ]),
    );
    expect(res.body.components.schemas.TaskCreate.properties.priority.enum).toEqual([
      'urgent',
      'high',
      'normal',
      'low',
    ]);
    expect(res.body.components.schemas.Problem).toBeDefined();
    const docs = await t.app.anonymous().get('/api/v1/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('gives every response a request id, keeping a sane one the client sent', async () => {
    const mine = await t.app.anonymous().get('/healthz').set('X-Request-Id', 'abc-123');
    expect(mine.headers['x-request-id']).toBe('abc-123');
    const hostile = await t.app.anonymous().get('/healthz').set('X-Request-Id', '<script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown API route with a 404 problem and serves the client page at /', async () => {
    const commune = await makeCommune(t.app);
    const clerk = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const res = await clerk.agent.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, detail: 'There is no GET /api/v1/nothing-here in this API.' });
    const page = await t.app.anonymous().get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Entraide');
  });

  it('sets security headers', async () => {
    const res = await t.app.anonymous().get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe.each(drivers)('logs on %s', (driver) => {
  it('writes one JSON line per request with its id, status and time, never a query string or a credential', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await startTestApp(
      driver,
      {},
      {
        log: createLogger('info', {
          write: (line: string) => {
            lines.push(JSON.parse(line) as Record<string, unknown>);
          },
        }),
      },
    );
    try {
      const commune = await makeCommune(app);
      const clerk = await makeUser(app, 'clerk', { communeId: commune.id });
      await clerk.agent.get('/api/v1/tasks?q=Jeanne%20Dupont').set('X-Request-Id', 'trace-42').expect(200);
      await clerk.agent.get('/api/v1/nothing-here').expect(404);
      await app.anonymous().get('/healthz').expect(200);
      const requests = lines.filter((l) => l.msg === 'request completed');
      expect(requests.find((l) => l.reqId === 'trace-42')).toMatchObject({
        level: 30,
        service: 'entraide',
        method: 'GET',
        url: '/api/v1/tasks',
        status: 200,
        userId: clerk.id,
      });
      expect(requests.find((l) => l.url === '/api/v1/nothing-here')).toMatchObject({ level: 40, status: 404 });
      expect(requests.every((l) => typeof l.responseTime === 'number' && typeof l.reqId === 'string')).toBe(true);
      // Probes are not logged; no line holds the search, the session cookie or the password.
      expect(requests.some((l) => l.url === '/healthz')).toBe(false);
      const all = JSON.stringify(lines);
      expect(all).not.toContain('Jeanne');
      expect(all).not.toContain('entraide.sid');
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain(clerk.cookie.split('=')[1]);
    } finally {
      await app.stop();
    }
  });
});

describe.each(drivers)('failure on %s', (driver) => {
  it('answers 500 without internals, and /readyz 503, when the database is gone', async () => {
    const errors: Record<string, unknown>[] = [];
    const app = await startTestApp(
      driver,
      {},
      {
        log: createLogger('error', {
          write: (line: string) => {
            errors.push(JSON.parse(line) as Record<string, unknown>);
          },
        }),
      },
    );
    const commune = await makeCommune(app);
    const clerk = await makeUser(app, 'clerk', { communeId: commune.id });
    // The live board's adapter holds a connection of the pool; let it go so the pool can close.
    await app.running.realtime.close();
    await app.running.database.close();
    // The session may still be in memory: the task list needs the database whatever happens.
    const res = await clerk.agent.get('/api/v1/tasks');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal error', code: 'internal' });
    expect(res.body.detail).toBe('Something went wrong on our side. The team has the details under this request id.');
    expect(res.body.instance).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at |pglite|pg_|sql/i);
    // The team finds the details under the id the user was given.
    expect(errors.find((l) => l.msg === 'unhandled error')).toMatchObject({
      reqId: res.body.instance,
      err: { message: expect.any(String) },
    });
    expect(errors.find((l) => l.msg === 'request completed' && l.reqId === res.body.instance)).toMatchObject({
      level: 50,
      status: 500,
    });
    const ready = await app.anonymous().get('/readyz');
    expect(ready.status).toBe(503);
    await app.stop().catch(() => undefined);
  });
});

// Only the server can drop connections under a running app (a restart, a failover, an administrator).
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('database connections lost on %s', (driver) => {
    const t = useWorld(driver);

    it('survives PostgreSQL ending every connection, and the live board carries on across instances', async () => {
      const second = await startSecondInstance(t.app);
      const clerk = await connectBoard(second.url, t.w.clerk.cookie);
      try {
        const before = await postTask(t.w.manager);
        await t.w.clerk.agent.post(`/api/v1/tasks/${before.id}/claim`).expect(200);
        const admin = new Client({ connectionString: t.app.config.databaseUrl });
        await admin.connect();
        const ended = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        );
        await admin.end();
        // Each instance's pool, its notification listener and its socket adapter's listener held one.
        expect(ended.rowCount).toBeGreaterThanOrEqual(6);

        // Both processes are still here; their pools reconnect on the next query.
        for (const app of [t.app, second]) {
          let ready = 0;
          for (const deadline = Date.now() + 10_000; ready !== 200 && Date.now() < deadline;) {
            ready = (await app.anonymous().get('/readyz')).status;
            if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
          }
          expect(ready).toBe(200);
        }
        // A claim on the first instance reaches a board on the second, which reads it from the database.
        const after = await postTask(t.w.manager);
        const heard = nextEvent(
          clerk,
          'task:updated',
          (e) => e.task.id === after.id && e.task.status === 'claimed',
          8000,
        );
        await t.w.clerk.agent.post(`/api/v1/tasks/${after.id}/claim`).expect(200);
        await expect(heard).resolves.toMatchObject({ task: { id: after.id, status: 'claimed' } });
      } finally {
        clerk.close();
        // Stopping ends both pools: it would hang if a dead connection still held a slot.
        await second.stop();
      }
    });

    it('gives up the connection it was reconnecting with when the database closes meanwhile, so closing ends', async () => {
      const database = await openDatabase({ url: t.app.config.databaseUrl, dataDir: 'unused', poolSize: 2 });
      const pool = database.pool;
      if (!pool) throw new Error('the server database has a pool');
      const channel = `entraide_test_${crypto.randomBytes(4).toString('hex')}`;
      const heard: string[] = [];
      let failures = 0;
      await database.listen(
        channel,
        (payload) => heard.push(payload),
        () => {
          failures++;
        },
      );

      // Its connection is ended by the server; the listener connects again a second later. Closing
      // starts just as that new connection is made, before the listener has it.
      const reconnecting = new Promise<void>((resolve) => pool.once('connect', () => resolve()));
      const admin = new Client({ connectionString: t.app.config.databaseUrl });
      await admin.connect();
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where query = $1', [
        `LISTEN "${channel}"`,
      ]);
      await admin.end();
      await reconnecting;
      const closed = database.close().then(() => 'closed');
      const timeout = new Promise((resolve) => {
        setTimeout(() => resolve('still waiting after 5 s'), 5000).unref();
      });
      expect(await Promise.race([closed, timeout])).toBe('closed');
      expect(failures).toBeGreaterThan(0);
      expect(heard).toEqual([]);
    });

    it('gives the live-board adapter no connection once it has closed, so the pool can end', async () => {
      const pool = new Pool({ connectionString: t.app.config.databaseUrl, max: 1 });
      const forAdapter = poolForAdapter(pool);
      // The adapter asks for a connection while the only one is taken, and closes before it comes free.
      const held = await pool.connect();
      let handedOver = false;
      void forAdapter.pool.connect().then(() => {
        handedOver = true;
      });
      await new Promise((r) => setTimeout(r, 50));
      forAdapter.close();
      held.release();
      const ended = pool.end().then(() => 'ended');
      const timeout = new Promise((resolve) => {
        setTimeout(() => resolve('still waiting after 5 s'), 5000).unref();
      });
      expect(await Promise.race([ended, timeout])).toBe('ended');
      expect(handedOver).toBe(false);
    });
  });
}
