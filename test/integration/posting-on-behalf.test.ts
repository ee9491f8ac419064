import { taskInput, type World } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

/** The stricken commune's open incident: declared by its manager if it has none. */
async function inIncident(w: World): Promise<string> {
  const list = await w.manager.agent.get('/api/v1/incidents?status=active');
  const open = (list.body.items as { id: string; communeId: string }[]).find((i) => i.communeId === w.stricken.id);
  if (open) return open.id;
  const res = await w.manager.agent.post('/api/v1/incidents').send({ kind: 'cyberattack', title: 'Rançongiciel' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe.each(drivers)('posting on behalf of a commune in incident on %s', (driver) => {
  const t = useWorld(driver);

  it('asks the coordinator which commune the task is for', async () => {
    const before = await writeCounts(t.app);
    const res = await t.w.coordinator.agent.post('/api/v1/tasks').send(taskInput());
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        row: 1,
        field: 'requestingCommuneId',
        message: 'is required: choose the commune in incident you post this task for',
        code: 'required',
      },
    ]);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('refuses a commune that is not in incident (409), and another region’s commune (404), writing nothing', async () => {
    const before = await writeCounts(t.app);
    const calm = await t.w.coordinator.agent
      .post('/api/v1/tasks')
      .send(taskInput({ requestingCommuneId: t.w.helper.id }));
    expect(calm.status).toBe(409);
    expect(calm.body).toMatchObject({
      code: 'commune_not_in_incident',
      detail: `${t.w.helper.name} is not in incident: the coordinator posts tasks only for a commune in incident.`,
    });
    const foreign = await t.w.coordinator.agent
      .post('/api/v1/tasks')
      .send(taskInput({ requestingCommuneId: t.w.faraway.id }));
    expect(foreign.status).toBe(404);
    const bulk = await t.w.coordinator.agent
      .post(`/api/v1/tasks/bulk?requestingCommuneId=${t.w.helper.id}`)
      .send([taskInput()]);
    expect(bulk.status).toBe(409);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('refuses a manager who names another commune (403)', async () => {
    const res = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ requestingCommuneId: t.w.helper.id }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('You can post tasks only for your own commune.');
    const own = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ requestingCommuneId: t.w.stricken.id }));
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ onBehalf: false, postedBy: t.w.manager.id, requestingCommuneId: t.w.stricken.id });
  });

  it('posts for the commune: recorded as by the coordinator for it, the commune manages it as its own', async () => {
    const incidentId = await inIncident(t.w);
    const res = await t.w.coordinator.agent
      .post('/api/v1/tasks')
      .send(taskInput({ requestingCommuneId: t.w.stricken.id }));
    expect(res.status).toBe(201);
    const task = res.body as { id: string; version: number; trackingCode?: string; citizen?: unknown };
    expect(res.body).toMatchObject({
      requestingCommuneId: t.w.stricken.id,
      postedBy: t.w.coordinator.id,
      onBehalf: true,
      postedByTokenId: null,
      incidentId,
      hasCitizenData: true,
    });
    // Its short code has the commune's prefix, as the commune's own tasks do.
    const own = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput()).expect(201);
    expect(String(res.body.code).split('-')[0]).toBe(String(own.body.code).split('-')[0]);
    // The coordinator typed the citizen's data, and reads none of it back; the code is for the citizen.
    expect(task.citizen).toBeUndefined();
    expect(task.trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/);
    const asCoordinator = await t.w.coordinator.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(asCoordinator.body.citizen).toBeUndefined();
    expect(asCoordinator.body.trackingCode).toBeUndefined();
    expect(asCoordinator.body.abilities).toMatchObject({ update: false, cancel: false, viewCitizen: false });

    const history = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
    expect(history.body.items[0]).toMatchObject({
      action: 'create',
      actorUserId: t.w.coordinator.id,
      actorName: `coordinator ${t.w.coordinator.username}`,
      onBehalfOf: { communeId: t.w.stricken.id, communeName: t.w.stricken.name },
      integration: null,
    });

    // The commune's manager sees it as its own: the citizen data, the receipt's code, edit and cancel.
    const asManager = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(asManager.body.citizen).toMatchObject({ fullName: 'Jeanne Dupont' });
    expect(asManager.body.trackingCode).toBe(task.trackingCode);
    expect(asManager.body.abilities).toMatchObject({ update: true, cancel: true, viewCitizen: true });
    await t.w.manager.agent
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ version: task.version, title: 'Corrigé' })
      .expect(200);
    await t.w.manager.agent
      .post(`/api/v1/tasks/${task.id}/cancel`)
      .send({ version: task.version + 1 })
      .expect(200);
    const mine = await t.w.manager.agent.get(`/api/v1/tasks?commune=${t.w.stricken.id}&status=cancelled`).expect(200);
    expect((mine.body.items as { id: string }[]).map((i) => i.id)).toContain(task.id);
  });

  it('posts a CSV batch on behalf, every row for the commune named in the query', async () => {
    await inIncident(t.w);
    const csv = [
      'type,title,details,priority,dueAt,deliveryMode,incidentId,citizenFullName,citizenNationalNumber,citizenBirthDate,citizenPhone,citizenEmail,citizenAddress',
      'certificat_residence,Certificat A,,normal,,post,,Marc Lenoir,,,,,',
      'composition_menage,Composition B,,high,,pickup_helper,,,,,,,',
    ].join('\n');
    const res = await t.w.coordinator.agent
      .post(`/api/v1/tasks/bulk?requestingCommuneId=${t.w.stricken.id}`)
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(201);
    const items = res.body.items as {
      task: { requestingCommuneId: string; onBehalf: boolean; trackingCode?: string };
    }[];
    expect(items.map((i) => [i.task.requestingCommuneId, i.task.onBehalf, Boolean(i.task.trackingCode)])).toEqual([
      [t.w.stricken.id, true, true],
      [t.w.stricken.id, true, false],
    ]);
  });

  it('still refuses clerks and the DPO', async () => {
    for (const who of [t.w.clerk, t.w.dpo, t.w.admin]) {
      const res = await who.agent.post('/api/v1/tasks').send(taskInput({ requestingCommuneId: t.w.stricken.id }));
      expect(res.status).toBe(403);
    }
  });
});
