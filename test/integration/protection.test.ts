import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { sessions } from '../../server/db/schema';
import { createLogger } from '../../server/logger';
import { makeUser, postTask } from '../factories';
import { drivers, METRICS_TOKEN, startTestApp, type TestApp } from '../helpers/test-app';
import { connectBoard } from '../helpers/sockets';
import { useWorld } from '../helpers/use-test-app';

/** Resolves when the socket is disconnected by the server, or rejects after `ms`. */
function disconnected(socket: Awaited<ReturnType<typeof connectBoard>>, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe.each(drivers)('data protection loose ends on %s', (driver) => {
  const t = useWorld(driver);

  it('serves /metrics, whatever its spelling, only with the bearer token', async () => {
    for (const spelling of ['/metrics', '/metrics/', '/METRICS', '/Metrics?x=1']) {
      const anonymous = await t.app.anonymous().get(spelling);
      expect({ spelling, status: anonymous.status }).toEqual({ spelling, status: 401 });
      expect(anonymous.body.code).toBe('unauthenticated');
      const wrong = await t.app.anonymous().get(spelling).set('Authorization', 'Bearer not-the-token-at-all');
      expect({ spelling, status: wrong.status }).toEqual({ spelling, status: 401 });
      const right = await t.app.anonymous().get(spelling).set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect({ spelling, status: right.status }).toEqual({ spelling, status: 200 });
    }
    // A signed-in user is no scraper.
    expect((await t.w.admin.agent.get('/metrics')).status).toBe(401);
  });

  it('marks every API answer no-store, citizen data included', async () => {
    const task = await postTask(t.w.manager);
    const res = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(res.body.citizen).toBeDefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.w.clerk.agent.get('/api/v1/tasks')).headers['cache-control']).toBe('no-store');
    expect((await t.app.anonymous().get('/api/v1/me')).headers['cache-control']).toBe('no-store');
  });

  it("refuses a socket from another site's page, and serves one from ours or with no Origin", async () => {
    const url = new URL(t.app.url);
    await expect(connectBoard(t.app.url, t.w.clerk.cookie, { Origin: 'https://evil.example' })).rejects.toThrow();
    const own = await connectBoard(t.app.url, t.w.clerk.cookie, { Origin: `http://${url.host}` });
    const script = await connectBoard(t.app.url, t.w.clerk.cookie);
    own.close();
    script.close();
  });

  it('ends the sockets of an account signed into with an access code', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const socket = await connectBoard(t.app.url, user.cookie);
    const gone = disconnected(socket);
    const code = (await t.w.coordinator.agent.post(`/api/v1/users/${user.id}/access-codes`).expect(201)).body.code;
    await request(t.app.url)
      .post('/api/v1/auth/access-code')
      .send({ username: user.username, code, newPassword: 'another-long-passphrase' })
      .expect(200);
    expect(await gone).toBe('io server disconnect');
  });

  it('ends a socket whose session expired or was deleted, at the next check', async () => {
    const expiring = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const deleted = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const staying = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const [a, b, c] = await Promise.all([expiring, deleted, staying].map((u) => connectBoard(t.app.url, u.cookie)));
    const [aGone, bGone] = [disconnected(a!), disconnected(b!)];
    const db = t.app.running.database.db;
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, expiring.id));
    await db.delete(sessions).where(eq(sessions.userId, deleted.id));
    await t.app.running.realtime.checkSessions();
    expect(await aGone).toBe('io server disconnect');
    expect(await bGone).toBe('io server disconnect');
    expect(c!.connected).toBe(true);
    c!.close();
  });

  it('ends a session SESSION_MAX_HOURS after its sign-in, however busy it is', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await user.agent.get('/api/v1/me').expect(200);
    // Signed in 25 hours ago (the default lifetime is 24 h), and used a moment ago.
    await t.app.running.database.db
      .update(sessions)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(sessions.userId, user.id));
    // The instance may hold the session in memory for SESSION_CACHE_MS: as the app does on a change.
    t.app.running.ctx.hooks.accountChanged(user.id, false);
    const res = await user.agent.get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('Your session has expired. Please sign in again.');
  });

  it('answers 409 to one of two simultaneous creations of the same username, and creates one account', async () => {
    const body = {
      username: `twin.${Date.now()}`,
      displayName: 'Jumeau',
      role: 'clerk',
      password: 'long-enough-password',
      communeId: t.w.helper.id,
    };
    const answers = await Promise.all([
      t.w.admin.agent.post('/api/v1/users').send(body),
      t.w.admin.agent.post('/api/v1/users').send(body),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const users = (await t.w.admin.agent.get('/api/v1/users')).body.items as { username: string }[];
    expect(users.filter((u) => u.username === body.username)).toHaveLength(1);
  });

  it('logs a failed query without its parameters (a search can be a name)', async () => {
    const lines: string[] = [];
    const log = createLogger('error', { write: (line: string) => lines.push(line) });
    const failed = await t.app.running.database.db.execute(sql`select ${'Jeanne Dupont'}::int`).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain('Jeanne Dupont');
    log.error({ err: failed }, 'query failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('select $1::int');
    expect(lines[0]).not.toContain('Jeanne');
  });
});

describe('metrics on a port of their own', () => {
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  it('serves them there, and never on the app port without the token', async () => {
    app = await startTestApp('pglite', { METRICS_PORT: '0', METRICS_TOKEN: '' });
    const metricsServer = app.running.metricsServer;
    if (!metricsServer) throw new Error('no metrics server');
    const { port } = metricsServer.address() as AddressInfo;
    const res = await request(`http://127.0.0.1:${port}`).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('entraide_claims_total');
    expect((await request(`http://127.0.0.1:${port}`).get('/')).status).toBe(404);
    expect((await app.anonymous().get('/metrics')).status).toBe(401);
  });
});

describe('source maps in production', () => {
  const assets = path.resolve(__dirname, '../../client/dist/assets');
  const map = fs.existsSync(assets) ? fs.readdirSync(assets).find((f) => f.endsWith('.js.map')) : undefined;
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  it('are not served in production, and are outside it', async () => {
    if (!map) throw new Error('client/dist has no source map: run npm run build first (npm install does)');
    const dev = await startTestApp('pglite');
    try {
      expect((await dev.anonymous().get(`/assets/${map}`)).status).toBe(200);
    } finally {
      await dev.stop();
    }
    app = await startTestApp('pglite', { NODE_ENV: 'production' });
    expect((await app.anonymous().get(`/assets/${map}`)).status).toBe(404);
    expect((await app.anonymous().get('/')).status).toBe(200);
  });
});
