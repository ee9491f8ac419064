import request from 'supertest';
import { updateUser } from '../../server/resources/accounts/accounts-repo';
import { makeCommune, makeUser, PASSWORD } from '../factories';
import { drivers, startSecondInstance, startTestApp } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

describe.each(drivers)('accounts on %s', (driver) => {
  const t = useTestApp(driver);

  it('answers 401 to /me without a session', async () => {
    const res = await t.app.anonymous().get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Not signed in', detail: 'Please sign in first.' });
  });

  it('rejects a login body with missing, extra or wrong-typed fields with 400 per field', async () => {
    const res = await t.app.anonymous().post('/api/v1/auth/login').send({ username: 42, extra: true });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['extra', 'password', 'username']);
  });

  it('signs in with a session cookie that is httpOnly and SameSite=Lax, and /me tells who and where', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const agent = request.agent(t.app.url);
    const res = await agent
      .post('/api/v1/auth/login')
      .send({ username: user.username.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      username: user.username,
      role: 'clerk',
      communeId: commune.id,
      communeName: commune.name,
      regionId: commune.regionId,
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/entraide\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await agent.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, role: 'clerk', regionId: commune.regionId });
  });

  it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const res = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: user.username, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/Secure/i);
  });

  it('gives a new session id at login, so a planted session id is worthless', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const agent = request.agent(t.app.url);
    const first = await agent.post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD });
    const sid1 = /entraide\.sid=([^;]+)/.exec(String(first.headers['set-cookie']))?.[1];
    const second = await agent.post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD });
    const sid2 = /entraide\.sid=([^;]+)/.exec(String(second.headers['set-cookie']))?.[1];
    expect(sid1).toBeDefined();
    expect(sid2).toBeDefined();
    expect(sid2).not.toBe(sid1);
    // The old id no longer opens a session.
    const replay = await request(t.app.url).get('/api/v1/me').set('Cookie', `entraide.sid=${sid1}`);
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toBe('Your session has expired. Please sign in again.');
  });

  it('answers 401 to a wrong password or unknown user, with the same message', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'manager', { communeId: commune.id });
    const wrong = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'nope-nope-nope' });
    const unknown = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'nope-nope-nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe('Wrong username or password.');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('throttles a username after 10 failed attempts with 429 and Retry-After, even with the right password', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    for (let i = 0; i < 10; i += 1) {
      const res = await t.app
        .anonymous()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `10.1.0.${i}`)
        .send({ username: user.username, password: `wrong-${i}-password` });
      expect(res.status).toBe(401);
    }
    const blocked = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    // Another user is not affected.
    const other = await makeUser(t.app, 'clerk', { communeId: commune.id });
    expect(other.username).not.toBe(user.username);
  });

  it('throttles an address after 50 failed attempts, and successful logins do not count', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    // The app trusts loopback proxies, so X-Forwarded-For names the client address.
    const from = '203.0.113.7';
    for (let i = 0; i < 5; i += 1) {
      const ok = await t.app
        .anonymous()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', from)
        .send({ username: user.username, password: PASSWORD });
      expect(ok.status).toBe(200);
    }
    for (let i = 0; i < 50; i += 1) {
      const res = await t.app
        .anonymous()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', from)
        .send({ username: `ghost${i}`, password: 'whatever-password' });
      expect(res.status).toBe(401);
    }
    const blocked = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', from)
      .send({ username: user.username, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    const elsewhere = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.8')
      .send({ username: user.username, password: PASSWORD });
    expect(elsewhere.status).toBe(200);
  }, 180_000); // Fifty-odd scrypt checks: minutes on a loaded two-core machine.

  it('logs out with 204 and the session stops working', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    expect((await user.agent.get('/api/v1/me')).status).toBe(200);
    const out = await user.agent.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect((await user.agent.get('/api/v1/me')).status).toBe(401);
  });

  it('ends the sessions of a deactivated account at once', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const admin = await makeUser(t.app, 'admin');
    const res = await admin.agent.patch(`/api/v1/users/${user.id}`).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await user.agent.get('/api/v1/me')).status).toBe(401);
    const again = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD });
    expect(again.status).toBe(401);
  });

  /**
   * On an app of its own with SESSION_CACHE_MS=`cacheMs`: a manager's session is read, the account is
   * deactivated by SQL by hand (no notification, so only the cache's age limit can tell), and after
   * `waitMs` the same session asks again. Returns the two answers' statuses.
   */
  const deactivatedBehindItsBack = async (cacheMs: string, waitMs: number) => {
    const app = await startTestApp(driver, { SESSION_CACHE_MS: cacheMs });
    try {
      const commune = await makeCommune(app);
      const user = await makeUser(app, 'manager', { communeId: commune.id });
      const before = (await user.agent.get('/api/v1/me')).status;
      await updateUser(app.running.database.db, user.id, { active: false });
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      return [before, (await user.agent.get('/api/v1/me')).status];
    } finally {
      await app.stop();
    }
  };

  it('drops a session whose account was deactivated behind its back, once its cached read ages out', async () => {
    expect(await deactivatedBehindItsBack('300', 400)).toEqual([200, 401]);
  });

  it('reads the session from the database on every request when the cache is off', async () => {
    expect(await deactivatedBehindItsBack('0', 0)).toEqual([200, 401]);
  });

  it('refuses a state-changing request from another site with 403, and a form post with 415', async () => {
    const commune = await makeCommune(t.app);
    const user = await makeUser(t.app, 'clerk', { communeId: commune.id });
    const cross = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ username: user.username, password: PASSWORD });
    expect(cross.status).toBe(403);
    expect(cross.body.code).toBe('cross_site_request');
    const same = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .set('Origin', t.app.url)
      .send({ username: user.username, password: PASSWORD });
    expect(same.status).toBe(200);
    const form = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .type('form')
      .send(`username=${user.username}&password=${PASSWORD}`);
    expect(form.status).toBe(415);
    expect(form.body.status).toBe(415);
  });
});

// Sessions read on one instance are kept in memory for a few seconds: a change on another instance
// must reach them at once, through the database's notifications.
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('sessions across instances on %s', (driver) => {
    const t = useTestApp(driver);

    /** The first answer other than `status`, polling for up to 2 s: well under the cache's 5 s. */
    const settles = async (ask: () => Promise<number>, from: number) => {
      let status = await ask();
      for (const deadline = Date.now() + 2000; status === from && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 25));
        status = await ask();
      }
      return status;
    };

    it('ends a session on every instance at logout and at deactivation, without waiting for the cache', async () => {
      const second = await startSecondInstance(t.app);
      try {
        const commune = await makeCommune(t.app);
        const admin = await makeUser(t.app, 'admin');
        const leaving = await makeUser(t.app, 'clerk', { communeId: commune.id });
        const deactivated = await makeUser(t.app, 'clerk', { communeId: commune.id });
        const onSecond = (user: { cookie: string }) => async () =>
          (await request(second.url).get('/api/v1/me').set('Cookie', user.cookie)).status;
        // Both sessions are now in the second instance's memory.
        expect(await onSecond(leaving)()).toBe(200);
        expect(await onSecond(deactivated)()).toBe(200);

        expect((await leaving.agent.post('/api/v1/auth/logout')).status).toBe(204);
        expect(await settles(onSecond(leaving), 200)).toBe(401);

        expect((await admin.agent.patch(`/api/v1/users/${deactivated.id}`).send({ active: false })).status).toBe(200);
        expect(await settles(onSecond(deactivated), 200)).toBe(401);
      } finally {
        await second.stop();
      }
    });
  });
}
