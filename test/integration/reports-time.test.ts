import { and, eq } from 'drizzle-orm';
import { events } from '../../server/db/schema';
import { makeWorld, postTask, type TestUser, type World } from '../factories';
import { ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

const minutesMessage = 'must be a whole number of minutes from 1 to 1440';

describe.each(drivers)('time spent on tasks on %s', (driver) => {
  let app: TestApp;
  let w: World;
  const clock = new ManualClock(Date.parse('2026-03-10T10:00:00Z'));
  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  /** A task of the stricken commune, claimed and started by the helper's clerk. */
  async function startedTask(clerk: TestUser, type = 'certificat_residence') {
    const task = await postTask(w.manager, { type });
    await clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    return task;
  }

  it("counts what the clerk says, or the type's usual minutes, and refuses what is not a time", async () => {
    const types = await w.clerk.agent.get('/api/v1/task-types').expect(200);
    const usual = new Map(
      (types.body.items as { key: string; defaultMinutes: number }[]).map((t) => [t.key, t.defaultMinutes]),
    );
    expect([usual.get('certificat_residence'), usual.get('rdv_carte_identite')]).toEqual([15, 30]);

    const task = await startedTask(w.clerk);
    const before = await writeCounts(app);
    for (const minutesSpent of [0, 1441, 2.5, '20', -5]) {
      const res = await w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3, minutesSpent });
      expect({ minutesSpent, status: res.status }).toEqual({ minutesSpent, status: 400 });
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'minutesSpent', message: minutesMessage })]);
    }
    expect(await writeCounts(app)).toEqual(before);
    expect((await w.clerk.agent.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({
      status: 'in_progress',
      version: 3,
    });

    const told = await w.clerk.agent
      .post(`/api/v1/tasks/${task.id}/complete`)
      .send({ version: 3, minutesSpent: 42, note: 'Remis au guichet' })
      .expect(200);
    expect(told.body).toMatchObject({ status: 'done', minutesSpent: 42, doneAt: '2026-03-10T10:00:00.000Z' });
    expect(told.body.abilities.correctTime).toBe(true);

    const usualCertificate = await startedTask(w.clerk);
    const certificate = await w.clerk.agent
      .post(`/api/v1/tasks/${usualCertificate.id}/complete`)
      .send({ version: 3 })
      .expect(200);
    expect(certificate.body.minutesSpent).toBe(15);
    const usualAppointment = await startedTask(w.clerk, 'rdv_carte_identite');
    const appointment = await w.clerk.agent
      .post(`/api/v1/tasks/${usualAppointment.id}/complete`)
      .send({ version: 3 })
      .expect(200);
    expect(appointment.body.minutesSpent).toBe(30);

    // The completion's event carries the minutes.
    const [completion] = await app.running.database.db
      .select({ snapshot: events.snapshot })
      .from(events)
      .where(and(eq(events.taskId, task.id), eq(events.action, 'complete')));
    expect(completion?.snapshot).toMatchObject({ minutes_spent: 42 });
  });

  it("lets the holder's clerks correct it against the version they saw, and nobody else", async () => {
    const task = await startedTask(w.clerk);
    const path = `/api/v1/tasks/${task.id}/time`;
    // Not done yet: nothing to correct.
    const early = await w.clerk.agent.patch(path).send({ version: 3, minutesSpent: 20 });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'invalid_transition' });
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3 }).expect(200);

    const before = await writeCounts(app);
    const bad = await w.clerk.agent.patch(path).send({ version: 4, minutesSpent: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'minutesSpent', message: minutesMessage })]);
    expect((await w.clerk.agent.patch(path).send({ minutesSpent: 20 })).status).toBe(400);
    const otherCommune = await w.clerk2.agent.patch(path).send({ version: 4, minutesSpent: 20 });
    expect({ status: otherCommune.status, detail: otherCommune.body.detail }).toEqual({
      status: 403,
      detail: 'Only a clerk of the commune that did this task can correct its time.',
    });
    expect((await w.manager.agent.patch(path).send({ version: 4, minutesSpent: 20 })).status).toBe(403);
    expect((await w.foreignClerk.agent.patch(path).send({ version: 4, minutesSpent: 20 })).status).toBe(404);
    const stale = await w.clerk.agent.patch(path).send({ version: 3, minutesSpent: 20 });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'stale_version' });
    expect(await writeCounts(app)).toEqual(before);

    const corrected = await w.clerk.agent.patch(path).send({ version: 4, minutesSpent: 20 }).expect(200);
    expect(corrected.body).toMatchObject({ status: 'done', minutesSpent: 20, version: 5 });
    const viaHeader = await w.clerk.agent.patch(path).set('If-Match', '"5"').send({ minutesSpent: 25 }).expect(200);
    expect(viaHeader.body).toMatchObject({ minutesSpent: 25, version: 6 });
    const history = await w.clerk.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
    const corrections = (history.body.items as { action: string; note: string | null }[]).filter(
      (e) => e.action === 'correct_time',
    );
    expect(corrections.map((e) => e.note)).toEqual(['15 → 20 min', '20 → 25 min']);
  });
});
