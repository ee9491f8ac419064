import { eq } from 'drizzle-orm';
import request from 'supertest';
import { accessCodes } from '../../server/db/schema';
import { PASSWORD, makeUser, type TestUser } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const NEW_PASSWORD = 'a-brand-new-passphrase';

describe.each(drivers)('one-time access codes on %s', (driver) => {
  const t = useWorld(driver);
  /** Someone of the stricken commune who cannot sign in: a fresh account for each test. */
  const stranded = (role: 'manager' | 'clerk' = 'manager') => makeUser(t.app, role, { communeId: t.w.stricken.id });
  const issue = (by: TestUser, user: { id: string }) => by.agent.post(`/api/v1/users/${user.id}/access-codes`);
  const signIn = (body: Record<string, unknown>, agent = request.agent(t.app.url)) =>
    agent.post('/api/v1/auth/access-code').send(body);
  const codesOf = (userId: string) =>
    t.app.running.database.db.select().from(accessCodes).where(eq(accessCodes.userId, userId));

  it('lets the coordinator list the managers and clerks of the region, and nobody else', async () => {
    const res = await t.w.coordinator.agent.get('/api/v1/users').expect(200);
    const names = (res.body.items as { username: string }[]).map((u) => u.username);
    expect(names).toEqual(
      expect.arrayContaining([
        t.w.manager.username,
        t.w.strickenClerk.username,
        t.w.clerk.username,
        t.w.clerk2.username,
      ]),
    );
    for (const hidden of [t.w.foreignClerk, t.w.foreignManager, t.w.foreignCoordinator, t.w.admin, t.w.coordinator])
      expect(names).not.toContain(hidden.username);
    expect((await t.w.clerk.agent.get('/api/v1/users')).status).toBe(403);
    expect((await t.w.manager.agent.get('/api/v1/users')).status).toBe(403);
  });

  it('issues a code the coordinator reads out; it signs the person in once, with a new password, and ends their other sessions', async () => {
    const user = await stranded();
    const issued = await issue(t.w.coordinator, user).expect(201);
    expect(issued.body.code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(issued.body.user).toMatchObject({ id: user.id, username: user.username });
    const hours = (Date.parse(issued.body.expiresAt as string) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    // Only a hash is kept.
    const [stored] = await codesOf(user.id);
    expect(stored?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain((issued.body.code as string).replace(/-/g, ''));
    expect(stored?.issuedBy).toBe(t.w.coordinator.id);

    // Typed as people type it: lower case, spaces instead of dashes.
    const typed = (issued.body.code as string).toLowerCase().replace(/-/g, ' ');
    const agent = request.agent(t.app.url);
    const res = await signIn(
      { username: user.username.toUpperCase(), code: typed, newPassword: NEW_PASSWORD },
      agent,
    ).expect(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: 'manager', communeId: t.w.stricken.id });
    expect((await agent.get('/api/v1/me')).body.id).toBe(user.id);
    // The session signed in before the code is over; the old password no longer opens one; the new one does.
    expect((await user.agent.get('/api/v1/me')).status).toBe(401);
    expect(
      (await request(t.app.url).post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD }))
        .status,
    ).toBe(401);
    expect(
      (await request(t.app.url).post('/api/v1/auth/login').send({ username: user.username, password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    // Once only.
    const again = await signIn({
      username: user.username,
      code: issued.body.code,
      newPassword: 'yet-another-passphrase',
    });
    expect(again.status).toBe(401);
    expect(again.body.detail).toBe('Wrong username or access code, or the code has expired or been used.');
    expect((await codesOf(user.id))[0]?.usedAt).toBeInstanceOf(Date);
  });

  it('refuses an expired code, a code of someone else, a replaced code and a deactivated account', async () => {
    const user = await stranded('clerk');
    const other = await stranded('clerk');
    const first = (await issue(t.w.coordinator, user).expect(201)).body.code as string;
    const second = (await issue(t.w.coordinator, user).expect(201)).body.code as string;
    const others = (await issue(t.w.coordinator, other).expect(201)).body.code as string;
    const attempt = (code: string, username = user.username) => signIn({ username, code, newPassword: NEW_PASSWORD });
    expect((await attempt(first)).status).toBe(401);
    // The replaced code is kept, revoked, as a record of who issued what.
    const records = await codesOf(user.id);
    expect(records).toHaveLength(2);
    expect(records.filter((r) => r.revokedAt !== null)).toHaveLength(1);
    expect((await attempt(others)).status).toBe(401);
    expect((await attempt(second, 'nobody.here')).status).toBe(401);
    await t.app.running.database.db
      .update(accessCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accessCodes.userId, user.id));
    expect((await attempt(second)).status).toBe(401);

    const fresh = (await issue(t.w.coordinator, other).expect(201)).body.code as string;
    await t.w.admin.agent.patch(`/api/v1/users/${other.id}`).send({ active: false }).expect(200);
    expect((await attempt(fresh, other.username)).status).toBe(401);
    expect((await issue(t.w.coordinator, other)).status).toBe(403);
    await t.w.admin.agent.patch(`/api/v1/users/${other.id}`).send({ active: true }).expect(200);
    // None of those attempts changed a password.
    expect(
      (await request(t.app.url).post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('lets only the coordinator of the region, or the admin, issue one', async () => {
    const user = await stranded();
    expect((await issue(t.w.clerk, user)).status).toBe(403);
    expect((await issue(t.w.manager, user)).status).toBe(403);
    expect((await issue(t.w.foreignCoordinator, user)).status).toBe(404);
    expect((await issue(t.w.coordinator, t.w.foreignManager)).status).toBe(404);
    expect((await issue(t.w.coordinator, t.w.coordinator)).status).toBe(404);
    expect((await issue(t.w.coordinator, t.w.admin)).status).toBe(404);
    expect((await issue(t.w.admin, t.w.admin)).status).toBe(403);
    expect((await issue(t.w.admin, t.w.foreignCoordinator)).status).toBe(201);
    expect((await issue(t.w.coordinator, { id: '7b7e4f0e-3f4c-4c55-9a57-2a6f0d1e9c11' })).status).toBe(404);
    const bad = await issue(t.w.coordinator, { id: 'not-a-uuid' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(t.app.url).post(`/api/v1/users/${user.id}/access-codes`)).status).toBe(401);
    expect(await codesOf(user.id)).toEqual([]);
  });

  it('answers bad input with 400 and the field at fault, and spends nothing', async () => {
    const user = await stranded();
    const code = (await issue(t.w.coordinator, user).expect(201)).body.code as string;
    const cases: [Record<string, unknown>, string][] = [
      [{ username: user.username, code }, 'newPassword'],
      [{ username: user.username, code, newPassword: 'short' }, 'newPassword'],
      [{ username: user.username, code: 'ABCD-EFGH', newPassword: NEW_PASSWORD }, 'code'],
      [{ username: user.username, code: 12, newPassword: NEW_PASSWORD }, 'code'],
      [{ code, newPassword: NEW_PASSWORD }, 'username'],
      [{ username: user.username, code, newPassword: NEW_PASSWORD, role: 'admin' }, 'role'],
    ];
    for (const [body, field] of cases) {
      const res = await signIn(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    }
    expect(
      (
        await request(t.app.url)
          .post('/api/v1/auth/access-code')
          .set('Content-Type', 'application/json')
          .send('{"username":')
      ).status,
    ).toBe(400);
    expect((await codesOf(user.id))[0]?.usedAt).toBeNull();
    // The code still works.
    expect((await signIn({ username: user.username, code, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  it('counts wrong codes as failed sign-ins: 429 with Retry-After after ten for one username', async () => {
    const user = await stranded('clerk');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await signIn({ username: user.username, code: 'AAAA-BBBB-CCCC', newPassword: NEW_PASSWORD })).status,
      );
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const throttled = await signIn({ username: user.username, code: 'AAAA-BBBB-CCCC', newPassword: NEW_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });
});
