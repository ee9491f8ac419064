import { capacityOffers } from '../../server/db/schema';
import { reportDay } from '../../shared/schemas';
import { makeUser, postTask, type TestUser } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const DAY_MS = 86_400_000;
const day = (offset: number) => reportDay(new Date(Date.now() + offset * DAY_MS));
/** Days far from today, each test its own, so that offers of one commune never overlap by accident. */
let nextYear = 2100;
const farPeriod = () => {
  const year = nextYear++;
  return { from: `${year}-01-01`, to: `${year}-01-31` };
};

describe.each(drivers)('capacity offers on %s', (driver) => {
  const t = useWorld(driver);
  let helperManager: TestUser;
  beforeAll(async () => {
    helperManager = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
  });
  const offerCount = async () => (await t.app.running.database.db.select().from(capacityOffers)).length;

  it('refuses anonymous callers', async () => {
    const res = await t.app.anonymous().post('/api/v1/capacity-offers').send({}).expect(401);
    expect(res.body.detail).toBe('Please sign in first.');
  });

  it.each([
    [
      'to before from',
      { taskTypes: ['rdv_passeport'], perDay: 5, from: '2099-02-10', to: '2099-02-01' },
      'to',
      'period_reversed',
    ],
    [
      'a period over 366 days',
      { taskTypes: ['rdv_passeport'], perDay: 5, from: '2099-01-01', to: '2100-01-02' },
      'to',
      'period_too_long',
    ],
    ['no task type', { taskTypes: [], perDay: 5, from: '2099-01-01', to: '2099-01-02' }, 'taskTypes', 'too_few'],
    [
      'perDay 0',
      { taskTypes: ['rdv_passeport'], perDay: 0, from: '2099-01-01', to: '2099-01-02' },
      'perDay',
      'too_small',
    ],
    [
      'perDay 1001',
      { taskTypes: ['rdv_passeport'], perDay: 1001, from: '2099-01-01', to: '2099-01-02' },
      'perDay',
      'too_large',
    ],
    [
      'a date that is not one',
      { taskTypes: ['rdv_passeport'], perDay: 5, from: '2099-13-01', to: '2099-01-02' },
      'from',
      undefined,
    ],
  ])('answers 400 and records nothing for %s', async (_name, body, field, code) => {
    const before = await offerCount();
    const res = await helperManager.agent.post('/api/v1/capacity-offers').send(body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    const error = (res.body.errors as { field: string; code: string }[]).find((e) => e.field === field);
    expect(error).toBeDefined();
    if (code) expect(error?.code).toBe(code);
    expect(await offerCount()).toBe(before);
  });

  it('answers 400 for an unknown task type, naming it, and records nothing', async () => {
    const before = await offerCount();
    const res = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_passeport', 'no_such_type'], perDay: 5, ...farPeriod() })
      .expect(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'taskTypes',
        code: 'unknown_task_type',
        message: 'names no task type: no_such_type',
      }),
    ]);
    expect(await offerCount()).toBe(before);
  });

  it("refuses clerks and the coordinator an offer (403), and strangers' offers are not found (404)", async () => {
    const body = { taskTypes: ['rdv_passeport'], perDay: 5, ...farPeriod() };
    await t.w.clerk.agent.post('/api/v1/capacity-offers').send(body).expect(403);
    await t.w.coordinator.agent.post('/api/v1/capacity-offers').send(body).expect(403);
    const offer = (await helperManager.agent.post('/api/v1/capacity-offers').send(body).expect(201)).body;
    await t.w.foreignManager.agent.get(`/api/v1/capacity-offers/${offer.id}`).expect(404);
    await t.w.foreignManager.agent.patch(`/api/v1/capacity-offers/${offer.id}`).send({ perDay: 3 }).expect(404);
    await t.w.foreignCoordinator.agent.delete(`/api/v1/capacity-offers/${offer.id}`).expect(404);
    const foreignList = await t.w.foreignManager.agent.get('/api/v1/capacity-offers').expect(200);
    expect((foreignList.body.items as { id: string }[]).map((o) => o.id)).not.toContain(offer.id);
    // Another commune's manager of the region sees it but may not change it.
    await t.w.manager.agent.patch(`/api/v1/capacity-offers/${offer.id}`).send({ perDay: 3 }).expect(403);
    await t.w.manager.agent.delete(`/api/v1/capacity-offers/${offer.id}`).expect(403);
    const unchanged = await t.w.coordinator.agent.get(`/api/v1/capacity-offers/${offer.id}`).expect(200);
    expect(unchanged.body.perDay).toBe(5);
  });

  it('creates, lists, changes and withdraws an offer; the coordinator may withdraw one', async () => {
    const period = farPeriod();
    const created = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_passeport', 'certificat_residence', 'rdv_passeport'], perDay: 12, ...period })
      .expect(201);
    expect(created.body).toMatchObject({
      communeId: t.w.helper.id,
      regionId: t.w.region.id,
      taskTypes: ['certificat_residence', 'rdv_passeport'],
      perDay: 12,
      from: period.from,
      to: period.to,
      current: false,
      usedToday: 0,
      usedByDay: [],
      abilities: { update: true, delete: true },
    });
    const seen = await t.w.coordinator.agent.get(`/api/v1/capacity-offers?communeId=${t.w.helper.id}`).expect(200);
    expect(seen.body.items).toContainEqual(
      expect.objectContaining({ id: created.body.id, abilities: { update: false, delete: true } }),
    );
    const changed = await helperManager.agent
      .patch(`/api/v1/capacity-offers/${created.body.id}`)
      .send({ perDay: 20, to: period.from })
      .expect(200);
    expect(changed.body).toMatchObject({ perDay: 20, from: period.from, to: period.from });
    const reversed = await helperManager.agent
      .patch(`/api/v1/capacity-offers/${created.body.id}`)
      .send({ from: '2200-01-01' })
      .expect(400);
    expect(reversed.body.errors[0]).toMatchObject({ field: 'to', code: 'period_reversed' });
    await t.w.coordinator.agent.delete(`/api/v1/capacity-offers/${created.body.id}`).expect(204);
    await helperManager.agent.get(`/api/v1/capacity-offers/${created.body.id}`).expect(404);
  });

  it('refuses an offer overlapping another of the commune in days and a task type (409 offer_overlap)', async () => {
    const period = farPeriod();
    const first = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_passeport', 'rdv_permis_conduire'], perDay: 5, ...period })
      .expect(201);
    const before = await offerCount();
    const clash = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_permis_conduire'], perDay: 3, from: period.to, to: period.to })
      .expect(409);
    expect(clash.body).toMatchObject({ code: 'offer_overlap', current: { id: first.body.id } });
    expect(await offerCount()).toBe(before);
    // Other types on the same days, or the same types on other days, are no overlap.
    await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['certificat_residence'], perDay: 3, ...period })
      .expect(201);
    const later = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({
        taskTypes: ['rdv_passeport'],
        perDay: 3,
        from: `${period.from.slice(0, 4)}-02-01`,
        to: `${period.from.slice(0, 4)}-02-02`,
      })
      .expect(201);
    // Nor may a change make one.
    const moved = await helperManager.agent
      .patch(`/api/v1/capacity-offers/${later.body.id}`)
      .send({ from: period.to })
      .expect(409);
    expect(moved.body.code).toBe('offer_overlap');
  });

  it('counts the tasks of the offered types the commune claimed today against perDay', async () => {
    const offer = await helperManager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['composition_menage'], perDay: 2, from: day(-1), to: day(1) })
      .expect(201);
    const ofType = await postTask(t.w.manager, { type: 'composition_menage' });
    const otherType = await postTask(t.w.manager, { type: 'rdv_passeport' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${ofType.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${otherType.id}/claim`).expect(200);
    const res = await t.w.clerk.agent.get(`/api/v1/capacity-offers/${offer.body.id}`).expect(200);
    expect(res.body).toMatchObject({ current: true, perDay: 2, usedToday: 1, usedByDay: [{ day: day(0), used: 1 }] });
    const current = await t.w.coordinator.agent.get('/api/v1/capacity-offers?current=true').expect(200);
    expect(current.body.items).toContainEqual(expect.objectContaining({ id: offer.body.id, usedToday: 1 }));
  });
});
