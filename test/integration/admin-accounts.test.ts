import crypto from 'node:crypto';
import request from 'supertest';
import { makeUser, PASSWORD, postTask, type TestUser } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const unique = () => crypto.randomBytes(4).toString('hex');
const unknownId = '00000000-0000-4000-8000-000000000000';

/** The admin's accounts: filters, creation, deactivation, role and scope, password resets; all on the audit trail. */
describe.each(drivers)("the admin's accounts on %s", (driver) => {
  const t = useWorld(driver);
  const signIn = (username: string, password: string) =>
    t.app.anonymous().post('/api/v1/auth/login').send({ username, password });
  const kindsAbout = async (userId: string) =>
    ((await t.w.dpo.agent.get(`/api/v1/audit?userId=${userId}`).expect(200)).body.items as { kind: string }[]).map(
      (e) => e.kind,
    );
  const account = async (id: string) =>
    ((await t.w.admin.agent.get('/api/v1/users').expect(200)).body.items as { id: string }[]).find((u) => u.id === id);

  it('lists accounts by role, commune, region, state and name, all in the database', async () => {
    const list = async (query: string, agent = t.w.admin.agent) =>
      ((await agent.get(`/api/v1/users?${query}`).expect(200)).body.items as { id: string }[]).map((u) => u.id);
    expect((await t.app.anonymous().get('/api/v1/users?role=clerk')).status).toBe(401);
    const bad = await t.w.admin.agent.get('/api/v1/users?role=mayor&active=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['role', 'active']);
    expect((await t.w.manager.agent.get('/api/v1/users?role=clerk')).status).toBe(403);

    expect((await list(`communeId=${t.w.stricken.id}`)).sort()).toEqual([t.w.manager.id, t.w.strickenClerk.id].sort());
    expect(await list(`role=clerk&communeId=${t.w.stricken.id}`)).toEqual([t.w.strickenClerk.id]);
    const region = await list(`regionId=${t.w.region.id}`);
    expect(region).toEqual(expect.arrayContaining([t.w.coordinator.id, t.w.dpo.id, t.w.clerk.id, t.w.manager.id]));
    expect(region).not.toContain(t.w.foreignClerk.id);
    expect(await list(`q=${t.w.clerk.username.toUpperCase()}`)).toEqual([t.w.clerk.id]);
    // A LIKE wildcard is a character like another: `%` finds no one here.
    expect(await list('q=%25')).toEqual([]);
    const gone = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await t.w.admin.agent.patch(`/api/v1/users/${gone.id}`).send({ active: false }).expect(200);
    expect(await list(`active=false&communeId=${t.w.helper.id}`)).toEqual([gone.id]);
    expect(await list(`active=true&communeId=${t.w.helper.id}`)).toEqual([t.w.clerk.id]);
    // The coordinator's filters stay within what they may see: the region's managers and clerks.
    expect(await list(`regionId=${t.w.otherRegion.id}`, t.w.coordinator.agent)).toEqual([]);
    expect(await list('role=dpo', t.w.coordinator.agent)).toEqual([]);
  });

  it('creates an account with its field errors, nothing written on a bad one, and records it', async () => {
    const username = `huy.clerk.${unique()}`;
    const body = { username, displayName: 'Agent Huy', role: 'clerk', password: 'long-enough-password' };
    expect((await t.app.anonymous().post('/api/v1/users').send(body)).status).toBe(401);
    const bad = await t.w.admin.agent
      .post('/api/v1/users')
      .send({ ...body, username: 'X', password: 'short', communeId: t.w.helper.id });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['username', 'password']);
    const noCommune = await t.w.admin.agent.post('/api/v1/users').send(body);
    expect(noCommune.body.errors).toEqual([
      { field: 'communeId', message: 'is required for a clerk, and regionId must be left out', code: 'invalid' },
    ]);
    const unknownCommune = await t.w.admin.agent.post('/api/v1/users').send({ ...body, communeId: unknownId });
    expect(unknownCommune.body.errors[0]).toMatchObject({ field: 'communeId', message: 'is not a known commune' });
    const adminInCommune = await t.w.admin.agent
      .post('/api/v1/users')
      .send({ ...body, role: 'admin', communeId: t.w.helper.id });
    expect(adminInCommune.body.errors[0]).toMatchObject({ field: 'role' });
    expect((await t.w.admin.agent.get(`/api/v1/users?q=${username}`)).body.items).toEqual([]);
    expect((await t.w.coordinator.agent.post('/api/v1/users').send(body)).status).toBe(403);

    const created = await t.w.admin.agent
      .post('/api/v1/users')
      .send({ ...body, communeId: t.w.helper.id })
      .expect(201);
    expect(created.body).toMatchObject({ username, role: 'clerk', active: true, communeId: t.w.helper.id });
    const again = await t.w.admin.agent.post('/api/v1/users').send({ ...body, communeId: t.w.helper.id });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'duplicate' });
    expect(await kindsAbout(created.body.id)).toContain('account_created');
  });

  it('deactivates an account: its session ends, it cannot sign in, until reactivated; all recorded', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const patch = (body: object, id = user.id) => t.w.admin.agent.patch(`/api/v1/users/${id}`).send(body);
    expect((await t.app.anonymous().patch(`/api/v1/users/${user.id}`).send({ active: false })).status).toBe(401);
    const bad = await patch({ active: 'no' });
    expect(bad.body.errors).toEqual([
      { field: 'active', message: 'must be true or false', code: 'wrong_type', params: { expected: 'boolean' } },
    ]);
    expect((await user.agent.get('/api/v1/me')).status).toBe(200);
    expect((await t.w.coordinator.agent.patch(`/api/v1/users/${user.id}`).send({ active: false })).status).toBe(403);
    expect((await patch({ active: false }, unknownId)).status).toBe(404);
    const self = await patch({ active: false }, t.w.admin.id);
    expect({ status: self.status, code: self.body.code }).toEqual({ status: 409, code: 'self_change' });

    expect((await patch({ active: false }).expect(200)).body.active).toBe(false);
    expect((await user.agent.get('/api/v1/me')).status).toBe(401);
    expect((await signIn(user.username, PASSWORD)).status).toBe(401);
    await patch({ active: true }).expect(200);
    expect((await signIn(user.username, PASSWORD)).status).toBe(200);
    expect((await kindsAbout(user.id)).filter((k) => k === 'account_changed')).toHaveLength(2);
  });

  it('changes a role with a coherent scope only, and records it', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const patch = (body: object) => t.w.admin.agent.patch(`/api/v1/users/${user.id}`).send(body);
    const before = await account(user.id);
    const incoherent: [object, string][] = [
      [{ role: 'coordinator' }, 'regionId'],
      [{ role: 'coordinator', communeId: t.w.helper.id }, 'regionId'],
      [{ role: 'manager', regionId: t.w.region.id }, 'communeId'],
      [{ role: 'admin', regionId: t.w.region.id }, 'role'],
      [{ regionId: t.w.region.id }, 'communeId'],
      [{ communeId: unknownId }, 'communeId'],
      [{ role: 'dpo', regionId: unknownId }, 'regionId'],
    ];
    for (const [body, field] of incoherent) {
      const res = await patch(body);
      expect({ body, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({ body, status: 400, field });
    }
    expect(await account(user.id)).toEqual(before);
    const self = await t.w.admin.agent.patch(`/api/v1/users/${t.w.admin.id}`).send({ role: 'clerk' });
    expect(self.status).toBe(409);

    const moved = await patch({ communeId: t.w.helper2.id }).expect(200);
    expect(moved.body).toMatchObject({ role: 'clerk', communeId: t.w.helper2.id, regionId: t.w.region.id });
    const promoted = await patch({ role: 'coordinator', regionId: t.w.otherRegion.id }).expect(200);
    expect(promoted.body).toMatchObject({ role: 'coordinator', communeId: null, regionId: t.w.otherRegion.id });
    // The session reads the new role at once.
    expect((await user.agent.get('/api/v1/me').expect(200)).body.role).toBe('coordinator');
    await patch({ role: 'admin' }).expect(200);
    expect(await kindsAbout(user.id)).toEqual(expect.arrayContaining(['account_changed']));
  });

  it('resets a password with one chosen by the server, shown once; the old one and its sessions end', async () => {
    const user = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
    const reset = (id = user.id, agent = t.w.admin.agent) => agent.post(`/api/v1/users/${id}/password-reset`);
    expect((await request(t.app.url).post(`/api/v1/users/${user.id}/password-reset`)).status).toBe(401);
    expect((await reset('not-an-id')).status).toBe(400);
    expect((await reset(user.id, t.w.coordinator.agent)).status).toBe(403);
    expect((await reset(user.id, t.w.dpo.agent)).status).toBe(403);
    expect((await reset(unknownId)).status).toBe(404);
    expect((await reset(t.w.admin.id)).status).toBe(409);
    expect((await signIn(user.username, PASSWORD)).status).toBe(200);

    const res = await reset().expect(200);
    expect(res.body.user).toMatchObject({ id: user.id, username: user.username });
    expect(res.body.password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect((await user.agent.get('/api/v1/me')).status).toBe(401);
    expect((await signIn(user.username, PASSWORD)).status).toBe(401);
    const login = await signIn(user.username, res.body.password as string);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ citizenBarred: true, recovery: { method: 'password_reset' } });
    const second = await reset().expect(200);
    expect(second.body.password).not.toBe(res.body.password);
    expect(await kindsAbout(user.id)).toEqual(expect.arrayContaining(['account_changed', 'account_recovered']));
  });

  it('never lets the admin alone bring anyone to citizen data: resets, new accounts and moves all wait', async () => {
    const task = await postTask(t.w.manager);
    const victim = await makeUser(t.app, 'clerk', { communeId: t.w.stricken.id });
    const sessionOf = async (username: string, password: string) => {
      const agent = request.agent(t.app.url);
      await agent.post('/api/v1/auth/login').send({ username, password }).expect(200);
      return agent;
    };
    const resetAndSignIn = async (user: TestUser) => {
      const { password } = (await t.w.admin.agent.post(`/api/v1/users/${user.id}/password-reset`).expect(200)).body;
      return sessionOf(user.username, password as string);
    };
    const create = async (role: string, scope: Record<string, string>) => {
      const username = `made.${role}.${unique()}`;
      const password = 'chosen-by-the-admin';
      await t.w.admin.agent
        .post('/api/v1/users')
        .send({ username, displayName: username, role, password, ...scope })
        .expect(201);
      return sessionOf(username, password);
    };
    const victimAgent = await resetAndSignIn(victim);
    const pending = async (agent: request.Agent) => {
      const res = await agent.get('/api/v1/recoveries');
      if (res.status !== 200) return undefined;
      return (res.body.items as { id: string; userId: string }[]).find((r) => r.userId === victim.id)?.id;
    };
    const recovery = await pending(t.w.dpo.agent);
    if (!recovery) throw new Error('the DPO does not see the recovery');
    const seesCitizen = async (agent: request.Agent) =>
      (await agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body.citizen !== undefined;
    expect(await seesCitizen(victimAgent)).toBe(false);

    // Every confirmer the admin could make or take over waits for a confirmation itself.
    const madeManager = await create('manager', { communeId: t.w.stricken.id });
    const madeDpo = await create('dpo', { regionId: t.w.region.id });
    const takenDpo = await resetAndSignIn(await makeUser(t.app, 'dpo', { regionId: t.w.region.id }));
    const takenManager = await resetAndSignIn(await makeUser(t.app, 'manager', { communeId: t.w.stricken.id }));
    const movedIn = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
    const movedAgent = await resetAndSignIn(movedIn);
    await t.w.admin.agent.patch(`/api/v1/users/${movedIn.id}`).send({ communeId: t.w.stricken.id }).expect(200);
    for (const agent of [t.w.admin.agent, madeManager, madeDpo, takenDpo, takenManager, movedAgent]) {
      const res = await agent.post(`/api/v1/recoveries/${recovery}/confirm`);
      expect(res.status).toBe(403);
      expect(await seesCitizen(victimAgent)).toBe(false);
    }
    expect(await seesCitizen(madeManager)).toBe(false);
    expect(await seesCitizen(takenManager)).toBe(false);
    expect(await seesCitizen(movedAgent)).toBe(false);

    // A second person, the region's DPO in their own hands, confirms: then, and only then.
    await t.w.dpo.agent.post(`/api/v1/recoveries/${recovery}/confirm`).expect(200);
    expect(await seesCitizen(victimAgent)).toBe(true);
  });
});
