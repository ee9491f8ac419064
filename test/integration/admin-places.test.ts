import crypto from 'node:crypto';
import { makeCommune, makeRegion, makeUser, postTask } from '../factories';
import { drivers } from '../helpers/test-app';
import { connectBoard } from '../helpers/sockets';
import { useWorld } from '../helpers/use-test-app';

const unique = () => crypto.randomBytes(4).toString('hex');
const nisCode = () => String(10000 + crypto.randomInt(89999));
const unknownId = '00000000-0000-4000-8000-000000000000';

/** The admin's regions, communes and task types: each endpoint 401, 400 (nothing changed), 403/404, 409, then success. */
describe.each(drivers)("the admin's regions, communes and task types on %s", (driver) => {
  const t = useWorld(driver);
  const regionNamed = async (id: string) =>
    ((await t.w.admin.agent.get('/api/v1/regions').expect(200)).body.items as { id: string; name: string }[]).find(
      (r) => r.id === id,
    )?.name;

  it('renames a region, for the admin only, refusing an empty or taken name', async () => {
    const region = await makeRegion(t.app);
    const other = await makeRegion(t.app);
    const rename = (name: unknown, id = region.id) => t.w.admin.agent.patch(`/api/v1/regions/${id}`).send({ name });
    expect((await t.app.anonymous().patch(`/api/v1/regions/${region.id}`).send({ name: 'X' })).status).toBe(401);

    const empty = await rename('  ');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'name', message: 'is required', code: 'required' }]);
    expect(await regionNamed(region.id)).toBe(region.name);

    const coordinator = await t.w.coordinator.agent.patch(`/api/v1/regions/${t.w.region.id}`).send({ name: 'Mine' });
    expect(coordinator.status).toBe(403);
    expect(coordinator.body.detail).toBe('Only the platform administrator can do this.');
    expect((await rename('Nowhere', unknownId)).status).toBe(404);
    const taken = await rename(other.name);
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'duplicate' });
    expect(await regionNamed(region.id)).toBe(region.name);

    const name = `Arrondissement de Huy ${unique()}`;
    expect((await rename(name)).body).toEqual({ id: region.id, name });
    expect(await regionNamed(region.id)).toBe(name);
  });

  it("lists one region's communes for the admin, and answers 404 for another region to anyone else", async () => {
    const list = (agent = t.w.admin.agent, query = '') => agent.get(`/api/v1/communes${query}`);
    expect((await t.app.anonymous().get(`/api/v1/communes?regionId=${t.w.region.id}`)).status).toBe(401);
    const bad = await list(t.w.admin.agent, '?regionId=liege');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'regionId', code: 'invalid_format' });
    expect((await list(t.w.foreignManager.agent, `?regionId=${t.w.region.id}`)).status).toBe(404);
    expect((await list(t.w.admin.agent, `?regionId=${unknownId}`)).status).toBe(404);

    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((c) => c.id).sort();
    const mine = [t.w.stricken.id, t.w.helper.id, t.w.helper2.id].sort();
    expect(ids(await list(t.w.admin.agent, `?regionId=${t.w.region.id}`).expect(200))).toEqual(mine);
    expect(ids(await list(t.w.clerk.agent, `?regionId=${t.w.region.id}`).expect(200))).toEqual(mine);
    // Without a filter the admin sees every region's communes.
    expect(ids(await list().expect(200))).toEqual(expect.arrayContaining([...mine, t.w.faraway.id]));
  });

  it('creates a commune with its field errors, nothing written on a bad one', async () => {
    const body = {
      name: `Huy ${unique()}`,
      code: nisCode(),
      regionId: t.w.region.id,
      latitude: 50.52,
      longitude: 5.24,
    };
    expect((await t.app.anonymous().post('/api/v1/communes').send(body)).status).toBe(401);
    const bad = await t.w.admin.agent
      .post('/api/v1/communes')
      .send({ ...body, code: '62', latitude: 91, longitude: -181 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'code', message: 'must be a 5-character NIS or INSEE code, e.g. 62063', code: 'invalid' },
      { field: 'latitude', message: 'must be from -90 to 90', code: 'too_large', params: { max: 90 } },
      { field: 'longitude', message: 'must be from -180 to 180', code: 'too_small', params: { min: -180 } },
    ]);
    const unknownRegion = await t.w.admin.agent.post('/api/v1/communes').send({ ...body, regionId: unknownId });
    expect(unknownRegion.body.errors).toEqual([
      { field: 'regionId', message: 'is not a known region', code: 'invalid' },
    ]);
    const names = async () =>
      ((await t.w.admin.agent.get('/api/v1/communes').expect(200)).body.items as { name: string }[]).map((c) => c.name);
    expect(await names()).not.toContain(body.name);
    expect((await t.w.manager.agent.post('/api/v1/communes').send(body)).status).toBe(403);
    const created = await t.w.admin.agent.post('/api/v1/communes').send(body).expect(201);
    expect(created.body).toMatchObject({ ...body, status: 'normal' });
    const again = await t.w.admin.agent.post('/api/v1/communes').send({ ...body, name: 'Autre' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'duplicate' });
  });

  it("edits a commune's name, code and place, refusing a taken code and bad coordinates", async () => {
    const commune = await makeCommune(t.app, t.w.region.id);
    const taken = await makeCommune(t.app, t.w.region.id);
    const patch = (body: object, id = commune.id) => t.w.admin.agent.patch(`/api/v1/communes/${id}`).send(body);
    const current = async () =>
      ((await t.w.admin.agent.get('/api/v1/communes').expect(200)).body.items as { id: string }[]).find(
        (c) => c.id === commune.id,
      );
    const before = await current();
    expect((await t.app.anonymous().patch(`/api/v1/communes/${commune.id}`).send({ name: 'X' })).status).toBe(401);

    const bad = await patch({ name: 'Renommée', latitude: -90.5, code: 'six666', status: 'incident' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'latitude', 'status']);
    expect((await patch({ longitude: 'east' })).body.errors).toEqual([
      { field: 'longitude', message: 'must be a number', code: 'wrong_type', params: { expected: 'number' } },
    ]);
    expect(await current()).toEqual(before);

    expect((await t.w.coordinator.agent.patch(`/api/v1/communes/${commune.id}`).send({ name: 'X' })).status).toBe(403);
    expect((await patch({ name: 'Nowhere' }, unknownId)).status).toBe(404);
    const duplicate = await patch({ name: 'Renommée', code: taken.code });
    expect({ status: duplicate.status, code: duplicate.body.code }).toEqual({ status: 409, code: 'duplicate' });
    expect(await current()).toEqual(before);

    const code = nisCode();
    const edited = await patch({ name: 'Renommée', code, latitude: 50.1, longitude: 4.9 }).expect(200);
    expect(edited.body).toEqual({ ...before, name: 'Renommée', code, latitude: 50.1, longitude: 4.9 });
    expect(await current()).toEqual(edited.body);
  });

  it('moves a quiet commune to another region, its people and their live board with it; a busy one stays', async () => {
    const busy = t.w.stricken.id;
    await postTask(t.w.manager);
    const refused = await t.w.admin.agent.patch(`/api/v1/communes/${busy}`).send({ regionId: t.w.otherRegion.id });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'commune_busy' });
    const unknownRegion = await t.w.admin.agent.patch(`/api/v1/communes/${busy}`).send({ regionId: unknownId });
    expect(unknownRegion.body.errors).toEqual([
      { field: 'regionId', message: 'is not a known region', code: 'invalid' },
    ]);

    const quiet = await makeCommune(t.app, t.w.region.id);
    const clerk = await makeUser(t.app, 'clerk', { communeId: quiet.id });
    const socket = await connectBoard(t.app.url, clerk.cookie);
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const moved = await t.w.admin.agent
      .patch(`/api/v1/communes/${quiet.id}`)
      .send({ regionId: t.w.otherRegion.id })
      .expect(200);
    expect(moved.body.regionId).toBe(t.w.otherRegion.id);
    expect(await gone).toBe('io server disconnect');
    expect((await clerk.agent.get('/api/v1/me').expect(200)).body.regionId).toBe(t.w.otherRegion.id);
  });

  it("changes a task type's labels, SLA and legal basis, never its key", async () => {
    const key = `permis_${unique()}`;
    await t.w.admin.agent
      .post('/api/v1/task-types')
      .send({ key, labelFr: 'Permis', labelEn: 'Permit', category: 'document', slaHours: 240 })
      .expect(201);
    const patch = (body: object, k = key) => t.w.admin.agent.patch(`/api/v1/task-types/${k}`).send(body);
    const current = async () =>
      ((await t.w.clerk.agent.get('/api/v1/task-types').expect(200)).body.items as { key: string }[]).find(
        (ty) => ty.key === key,
      );
    const before = await current();
    expect((await t.app.anonymous().patch(`/api/v1/task-types/${key}`).send({ slaHours: 2 })).status).toBe(401);

    const bad = await patch({ labelFr: '', slaHours: 0, category: 'permit', key: 'other' });
    expect(bad.status).toBe(400);
    const range = 'must be a whole number of hours from 1 to 2160 (90 days)';
    expect(bad.body.errors).toEqual([
      { field: 'labelFr', message: 'is required', code: 'required' },
      {
        field: 'category',
        message: 'must be document, appointment or other',
        code: 'one_of',
        params: { values: 'document, appointment, other' },
      },
      { field: 'slaHours', message: range, code: 'too_small', params: { min: 1 } },
      { field: 'key', message: 'is not a field this request accepts', code: 'unknown_field' },
    ]);
    expect((await patch({ slaHours: 24 * 91 })).status).toBe(400);
    expect((await patch({ slaHours: 2.5 })).body.errors[0]).toMatchObject({ field: 'slaHours', code: 'not_whole' });
    expect((await patch({ slaHours: 2 }, 'Bad-Key')).status).toBe(400);
    expect(await current()).toEqual(before);

    expect((await t.w.clerk.agent.patch(`/api/v1/task-types/${key}`).send({ slaHours: 2 })).status).toBe(403);
    expect((await t.w.dpo.agent.patch(`/api/v1/task-types/${key}`).send({ slaHours: 2 })).status).toBe(403);
    expect((await patch({ slaHours: 2 }, `nothing_${unique()}`)).status).toBe(404);

    const change = {
      labelFr: "Permis d'urbanisme",
      labelEn: 'Planning permit',
      category: 'appointment',
      slaHours: 72,
      legalBasisFr: 'RGPD art. 6.1.e',
      legalBasisEn: 'GDPR art. 6(1)(e)',
    };
    expect((await patch(change).expect(200)).body).toEqual({ key, ...change });
    expect(await current()).toEqual({ key, ...change });
  });
});
