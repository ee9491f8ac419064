import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('incidents and communes on %s', (driver) => {
  const t = useWorld(driver);

  const communeStatus = async (id: string) => {
    const res = await t.w.coordinator.agent.get('/api/v1/communes');
    return (res.body.items as { id: string; status: string }[]).find((c) => c.id === id)?.status;
  };

  it('answers 401, then 400 with each bad field, then 403 to a clerk and 404 across regions', async () => {
    expect((await t.app.anonymous().post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' })).status).toBe(401);
    const before = await writeCounts(t.app);
    const bad = await t.w.manager.agent
      .post('/api/v1/incidents')
      .send({ kind: 'meteor', title: '', affectedServices: ['bar'] });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'affectedServices.0',
      'kind',
      'title',
    ]);
    expect((await t.w.clerk.agent.post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' })).status).toBe(403);
    const foreign = await t.w.foreignCoordinator.agent
      .post('/api/v1/incidents')
      .send({ communeId: t.w.stricken.id, kind: 'flood', title: 'Crue' });
    expect(foreign.status).toBe(404);
    const noCommune = await t.w.coordinator.agent.post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' });
    expect(noCommune.status).toBe(400);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('declares, moves to recovering and closes an incident, and the commune status follows', async () => {
    const declared = await t.w.manager.agent
      .post('/api/v1/incidents')
      .send({ kind: 'cyberattack', title: 'Rançongiciel', affectedServices: ['population', 'etat_civil'] });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      communeId: t.w.stricken.id,
      status: 'active',
      version: 1,
      closedAt: null,
      abilities: { markRecovering: true, close: true },
    });
    expect(await communeStatus(t.w.stricken.id)).toBe('incident');
    const second = await t.w.coordinator.agent
      .post('/api/v1/incidents')
      .send({ communeId: t.w.stricken.id, kind: 'flood', title: 'Et une crue' });
    expect(second.status).toBe(409);
    const list = await t.w.clerk.agent.get('/api/v1/incidents?status=active');
    expect((list.body.items as { id: string }[]).map((i) => i.id)).toContain(declared.body.id);
    // What each may do with it, from the policy: the browser offers exactly that.
    const abilitiesOf = async (user: typeof t.w.clerk) =>
      ((await user.agent.get('/api/v1/incidents')).body.items as { id: string; abilities: unknown }[]).find(
        (i) => i.id === declared.body.id,
      )?.abilities;
    expect(await abilitiesOf(t.w.clerk)).toEqual({ markRecovering: false, close: false });
    expect(await abilitiesOf(t.w.coordinator)).toEqual({ markRecovering: true, close: true });
    expect((await t.w.foreignClerk.agent.get('/api/v1/incidents')).body.items).toEqual([]);
    expect(
      (await t.w.clerk.agent.patch(`/api/v1/incidents/${declared.body.id}`).send({ status: 'closed' })).status,
    ).toBe(403);
    expect(
      (await t.w.foreignManager.agent.patch(`/api/v1/incidents/${declared.body.id}`).send({ status: 'closed' })).status,
    ).toBe(404);
    const stale = await t.w.manager.agent
      .patch(`/api/v1/incidents/${declared.body.id}`)
      .send({ version: 7, status: 'recovering' });
    expect(stale.status).toBe(409);
    const recovering = await t.w.manager.agent
      .patch(`/api/v1/incidents/${declared.body.id}`)
      .send({ version: 1, status: 'recovering' });
    expect(recovering.status).toBe(200);
    expect(recovering.body.abilities).toEqual({ markRecovering: false, close: true });
    expect(await communeStatus(t.w.stricken.id)).toBe('recovering');
    const closed = await t.w.coordinator.agent
      .patch(`/api/v1/incidents/${declared.body.id}`)
      .send({ status: 'closed' });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    expect(closed.body.abilities).toEqual({ markRecovering: false, close: false });
    expect(await communeStatus(t.w.stricken.id)).toBe('normal');
    const reopen = await t.w.manager.agent.patch(`/api/v1/incidents/${declared.body.id}`).send({ status: 'active' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.current).toMatchObject({ status: 'closed', abilities: { markRecovering: false, close: false } });
    const changes = await t.w.clerk.agent.get('/api/v1/changes?since=0');
    const incidentChanges = (changes.body.items as { type: string; incident?: { id: string; status: string } }[])
      .filter((c) => c.type === 'incident:updated' && c.incident?.id === declared.body.id)
      .map((c) => c.incident?.status);
    expect(incidentChanges).toEqual(['active', 'recovering', 'closed']);
    // The feed is the same for everyone in the region: no one's abilities in it.
    expect(
      (changes.body.items as { incident?: { abilities?: unknown } }[]).some((c) => c.incident?.abilities !== undefined),
    ).toBe(false);
  });

  it("lists the region's communes and task types, and a commune's load", async () => {
    const communes = await t.w.clerk.agent.get('/api/v1/communes');
    expect(communes.status).toBe(200);
    expect((communes.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual(
      [t.w.stricken.id, t.w.helper.id, t.w.helper2.id].sort(),
    );
    const types = await t.w.clerk.agent.get('/api/v1/task-types');
    expect((types.body.items as { key: string }[]).map((t) => t.key)).toEqual(
      expect.arrayContaining([
        'certificat_residence',
        'composition_menage',
        'extrait_acte_naissance',
        'extrait_acte_mariage',
        'certificat_nationalite',
        'legalisation_signature',
        'rdv_carte_identite',
        'rdv_passeport',
        'rdv_permis_conduire',
      ]),
    );
    const created = await t.w.manager.agent.post('/api/v1/tasks').send({
      type: 'rdv_passeport',
      title: 'Passeport',
      dueAt: new Date(Date.now() - 60_000).toISOString(),
      slot: { start: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 20, place: 'Guichet 2' },
    });
    expect(created.status).toBe(201);
    await t.w.clerk.agent.post(`/api/v1/tasks/${created.body.id}/claim`).expect(200);
    const load = await t.w.coordinator.agent.get(`/api/v1/communes/${t.w.stricken.id}/load`);
    expect(load.status).toBe(200);
    expect(load.body).toMatchObject({ communeId: t.w.stricken.id, posted: { claimed: 1, overdue: 1 } });
    const helperLoad = await t.w.clerk.agent.get(`/api/v1/communes/${t.w.helper.id}/load`);
    expect(helperLoad.body.held).toMatchObject({ claimed: 1, overdue: 1 });
    expect((await t.w.foreignClerk.agent.get(`/api/v1/communes/${t.w.helper.id}/load`)).status).toBe(404);
    expect((await t.w.clerk.agent.get('/api/v1/communes/nope/load')).status).toBe(400);
    const all = await t.w.coordinator.agent.get('/api/v1/communes/load');
    expect(all.body.items).toHaveLength(3);
  });

  it('lets only the admin manage regions, communes, task types and accounts', async () => {
    for (const [path, body] of [
      ['/api/v1/regions', { name: 'Arrondissement de Huy' }],
      [
        '/api/v1/task-types',
        {
          key: 'permis_urbanisme',
          labelFr: "Permis d'urbanisme",
          labelEn: 'Planning permit',
          category: 'document',
          slaHours: 240,
        },
      ],
    ] as const) {
      expect((await t.w.coordinator.agent.post(path).send(body)).status).toBe(403);
      expect((await t.w.admin.agent.post(path).send(body)).status).toBe(201);
      expect((await t.w.admin.agent.post(path).send(body)).status).toBe(409);
    }
    const region = (await t.w.admin.agent.get('/api/v1/regions')).body.items.find(
      (r: { name: string }) => r.name === 'Arrondissement de Huy',
    );
    const commune = await t.w.admin.agent
      .post('/api/v1/communes')
      .send({ name: 'Huy', code: '61031', regionId: region.id, latitude: 50.5189, longitude: 5.2394 });
    expect(commune.status).toBe(201);
    const badCommune = await t.w.admin.agent
      .post('/api/v1/communes')
      .send({ name: 'Nowhere', code: '1', regionId: region.id, latitude: 91, longitude: 0 });
    expect(badCommune.status).toBe(400);
    const user = await t.w.admin.agent.post('/api/v1/users').send({
      username: 'huy.clerk',
      displayName: 'Agent Huy',
      role: 'clerk',
      password: 'long-enough-password',
      communeId: commune.body.id,
    });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ username: 'huy.clerk', role: 'clerk', communeName: 'Huy', regionId: region.id });
    expect(user.body.passwordHash).toBeUndefined();
    const mismatch = await t.w.admin.agent.post('/api/v1/users').send({
      username: 'huy.coord',
      displayName: 'X',
      role: 'coordinator',
      password: 'long-enough-password',
      communeId: commune.body.id,
    });
    expect(mismatch.status).toBe(400);
    const short = await t.w.admin.agent
      .post('/api/v1/users')
      .send({ username: 'huy.short', displayName: 'X', role: 'admin', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0]).toEqual({
      field: 'password',
      message: 'must be at least 10 characters',
      code: 'too_short',
      params: { min: 10 },
    });
    expect((await t.w.manager.agent.get('/api/v1/users')).status).toBe(403);
    const users = await t.w.admin.agent.get('/api/v1/users');
    expect((users.body.items as { username: string }[]).some((u) => u.username === 'huy.clerk')).toBe(true);
    const login = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: 'huy.clerk', password: 'long-enough-password' });
    expect(login.status).toBe(200);
  });
});
