import request from 'supertest';
import { makeUser, makeWorld, postTask, type TestUser, type World } from '../factories';
import { DAY, ManualClock } from '../helpers/clock';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const NEW_PASSWORD = 'a-brand-new-passphrase';

/**
 * No one reaches citizen data alone through an account they recovered (an access code), reset (a
 * password) or created: until a second person confirms, the account sees tasks but not citizen data.
 */
describe.each(drivers)('account recovery needs a second person on %s', (driver) => {
  const t = useWorld(driver);
  const freshManager = () => makeUser(t.app, 'manager', { communeId: t.w.stricken.id });

  /** The coordinator gives `user` a code, and someone signs in with it: returns that session. */
  async function recoverWithCode(user: TestUser) {
    const code = (await t.w.coordinator.agent.post(`/api/v1/users/${user.id}/access-codes`).expect(201)).body.code;
    const agent = request.agent(t.app.url);
    const res = await agent
      .post('/api/v1/auth/access-code')
      .send({ username: user.username, code, newPassword: NEW_PASSWORD })
      .expect(200);
    return { agent, login: res.body };
  }

  const pendingFor = async (confirmer: TestUser, userId: string) =>
    ((await confirmer.agent.get('/api/v1/recoveries').expect(200)).body.items as { id: string; userId: string }[]).find(
      (r) => r.userId === userId,
    );

  it('bars citizen data from an account a coordinator recovered, until a manager of the commune confirms', async () => {
    const task = await postTask(t.w.manager);
    const stranded = await freshManager();
    const { agent, login } = await recoverWithCode(stranded);
    // The owner is told at that sign-in, by whom and how.
    expect(login.user).toMatchObject({ citizenBarred: true, recovery: { method: 'access_code', confirmedAt: null } });
    expect(login.user.recovery.recoveredByName).toBe(`coordinator ${t.w.coordinator.username}`);

    const barred = await agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(barred.body.citizen).toBeUndefined();
    expect(barred.body.citizenWithheld).toBe('account_recovery_unconfirmed');
    expect(barred.body.abilities.viewCitizen).toBe(false);

    // Neither the coordinator who issued the code nor the account itself can lift the bar.
    const pending = await pendingFor(t.w.manager, stranded.id);
    if (!pending) throw new Error('the commune manager does not see the recovery');
    expect((await t.w.coordinator.agent.post(`/api/v1/recoveries/${pending.id}/confirm`)).status).toBe(403);
    const own = await agent.post(`/api/v1/recoveries/${pending.id}/confirm`);
    expect(own.status).toBe(403);
    expect(own.body.detail).toBe(
      "Only the region's DPO or a manager of the commune, whose own account is confirmed, can confirm a recovery.",
    );
    expect((await t.w.foreignManager.agent.post(`/api/v1/recoveries/${pending.id}/confirm`)).status).toBe(404);

    // A second person, another manager of the commune, confirms: the data is reachable at once.
    await t.w.manager.agent.post(`/api/v1/recoveries/${pending.id}/confirm`).expect(200);
    expect((await t.w.manager.agent.post(`/api/v1/recoveries/${pending.id}/confirm`)).status).toBe(409);
    const reachable = await agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(reachable.body.citizen).toBeDefined();
    expect((await agent.get('/api/v1/me').expect(200)).body).toMatchObject({
      citizenBarred: false,
      recovery: { method: 'access_code', confirmedByName: `manager ${t.w.manager.username}` },
    });
  });

  it("bars an account whose password the admin reset, and the admin cannot confirm it; the region's DPO can", async () => {
    const task = await postTask(t.w.manager);
    const victim = await makeUser(t.app, 'clerk', { communeId: t.w.stricken.id });
    await t.w.admin.agent.patch(`/api/v1/users/${victim.id}`).send({ password: NEW_PASSWORD }).expect(200);
    const agent = request.agent(t.app.url);
    const login = await agent.post('/api/v1/auth/login').send({ username: victim.username, password: NEW_PASSWORD });
    expect(login.body.user).toMatchObject({ citizenBarred: true, recovery: { method: 'password_reset' } });
    expect((await agent.get(`/api/v1/tasks/${task.id}`)).body.citizen).toBeUndefined();

    const pending = await pendingFor(t.w.dpo, victim.id);
    if (!pending) throw new Error('the DPO does not see the recovery');
    expect((await t.w.admin.agent.post(`/api/v1/recoveries/${pending.id}/confirm`)).status).toBe(403);
    expect((await t.w.foreignDpo.agent.post(`/api/v1/recoveries/${pending.id}/confirm`)).status).toBe(404);
    await t.w.dpo.agent.post(`/api/v1/recoveries/${pending.id}/confirm`).expect(200);
    expect((await agent.get(`/api/v1/tasks/${task.id}`)).body.citizen).toBeDefined();
  });

  it('bars an account the admin created, and a DPO the admin created cannot confirm it either', async () => {
    const task = await postTask(t.w.manager);
    const create = (username: string, role: string, scope: Record<string, string>) =>
      t.w.admin.agent
        .post('/api/v1/users')
        .send({ username, displayName: username, role, password: NEW_PASSWORD, ...scope })
        .expect(201);
    const stamp = Date.now().toString(36);
    await create(`made.manager.${stamp}`, 'manager', { communeId: t.w.stricken.id });
    await create(`made.dpo.${stamp}`, 'dpo', { regionId: t.w.region.id });
    const manager = request.agent(t.app.url);
    await manager
      .post('/api/v1/auth/login')
      .send({ username: `made.manager.${stamp}`, password: NEW_PASSWORD })
      .expect(200);
    expect((await manager.get(`/api/v1/tasks/${task.id}`)).body.citizenWithheld).toBe('account_recovery_unconfirmed');
    // The admin signs in as the DPO they created: that account is waiting itself, so it confirms nothing.
    const dpo = request.agent(t.app.url);
    await dpo
      .post('/api/v1/auth/login')
      .send({ username: `made.dpo.${stamp}`, password: NEW_PASSWORD })
      .expect(200);
    expect((await dpo.get('/api/v1/recoveries')).status).toBe(403);
  });

  it('records every step in the audit trail the DPO reads', async () => {
    const stranded = await freshManager();
    await recoverWithCode(stranded);
    const pending = await pendingFor(t.w.manager, stranded.id);
    await t.w.manager.agent.post(`/api/v1/recoveries/${pending?.id ?? ''}/confirm`).expect(200);
    const trail = await t.w.dpo.agent.get(`/api/v1/audit?userId=${stranded.id}`).expect(200);
    const kinds = (trail.body.items as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'access_code_issued',
        'access_code_used',
        'account_recovered',
        'sign_in',
        'recovery_confirmed',
      ]),
    );
    // The other region's DPO sees none of it.
    const foreign = await t.w.foreignDpo.agent.get(`/api/v1/audit?userId=${stranded.id}`).expect(200);
    expect(foreign.body.items).toEqual([]);
  });
});

describe.each(drivers)('the owner is told of a recovery for a while, on %s', (driver) => {
  let app: TestApp;
  let w: World;
  const clock = new ManualClock(Date.now() + 60_000);
  beforeAll(async () => {
    app = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' }, { clock });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('shows an unconfirmed recovery until it is confirmed, then a confirmed one for a week', async () => {
    clock.set(Date.now());
    const owner = await makeUser(app, 'manager', { communeId: w.stricken.id });
    const code = (await w.coordinator.agent.post(`/api/v1/users/${owner.id}/access-codes`).expect(201)).body.code;
    const agent = request.agent(app.url);
    await agent
      .post('/api/v1/auth/access-code')
      .send({ username: owner.username, code, newPassword: NEW_PASSWORD })
      .expect(200);
    // Unconfirmed, it is shown however long it waits.
    clock.advance(30 * DAY);
    expect((await agent.get('/api/v1/me').expect(200)).body.recovery).toMatchObject({ confirmedAt: null });
    const pending = (
      (await w.manager.agent.get('/api/v1/recoveries').expect(200)).body.items as { id: string; userId: string }[]
    ).find((r) => r.userId === owner.id);
    if (!pending) throw new Error('the manager does not see the recovery');
    await w.manager.agent.post(`/api/v1/recoveries/${pending.id}/confirm`).expect(200);
    // Confirmed a month after it happened: a week from the recovery is long past, so no more.
    expect((await agent.get('/api/v1/me').expect(200)).body.recovery).toBeNull();
  });

  it('shows a confirmed recovery during the week after it, not after', async () => {
    clock.set(Date.now());
    const owner = await makeUser(app, 'manager', { communeId: w.stricken.id });
    const code = (await w.coordinator.agent.post(`/api/v1/users/${owner.id}/access-codes`).expect(201)).body.code;
    const agent = request.agent(app.url);
    await agent
      .post('/api/v1/auth/access-code')
      .send({ username: owner.username, code, newPassword: NEW_PASSWORD })
      .expect(200);
    const recoveredAt = new Date((await agent.get('/api/v1/me').expect(200)).body.recovery.recoveredAt).getTime();
    const pending = (
      (await w.manager.agent.get('/api/v1/recoveries').expect(200)).body.items as { id: string; userId: string }[]
    ).find((r) => r.userId === owner.id);
    if (!pending) throw new Error('the manager does not see the recovery');
    await w.manager.agent.post(`/api/v1/recoveries/${pending.id}/confirm`).expect(200);
    clock.set(recoveredAt + 6 * DAY);
    expect((await agent.get('/api/v1/me').expect(200)).body.recovery).toMatchObject({ method: 'access_code' });
    clock.set(recoveredAt + 8 * DAY);
    expect((await agent.get('/api/v1/me').expect(200)).body.recovery).toBeNull();
  });
});
