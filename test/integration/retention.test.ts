import { eq } from 'drizzle-orm';
import { events, jobs } from '../../server/db/schema';
import { makeWorld, postTask, type World } from '../factories';
import { DAY, HOUR, ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { drivers, startSecondInstance, startTestApp, type TestApp } from '../helpers/test-app';

/** A task of the world's stricken commune, claimed and done by the helper's clerk. */
async function doneTask(w: World) {
  const task = await postTask(w.manager);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3, note: 'Remis' }).expect(200);
  return task;
}

describe.each(drivers)('retention of citizen data on %s', (driver) => {
  let app: TestApp;
  let w: World;
  // Tasks are done "now"; the clock then moves as the test says, and the job runs when asked.
  const clock = new ManualClock(Date.now() + 60_000);
  beforeAll(async () => {
    app = await startTestApp(driver, { CITIZEN_RETENTION_DAYS: '30', JOBS_CHECK_SECONDS: '0' }, { clock });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  it("lets the region's DPO set its retention and word its legal bases, and refuses what makes no sense", async () => {
    const path = `/api/v1/regions/${w.region.id}/data-protection`;
    const initial = await w.dpo.agent.get(path).expect(200);
    expect(initial.body).toMatchObject({ citizenRetentionDays: 30, defaultRetentionDays: 30, regional: false });
    expect(
      initial.body.legalBases.find((b: { taskType: string }) => b.taskType === 'certificat_residence'),
    ).toMatchObject({
      regional: false,
    });
    const before = await writeCounts(app);
    for (const body of [
      { citizenRetentionDays: 0 },
      { citizenRetentionDays: 36_500 },
      { citizenRetentionDays: 2.5 },
      { legalBases: [{ taskType: 'no_such_type', fr: 'x', en: 'y' }] },
      { legalBases: [{ taskType: 'certificat_residence', fr: 'Seulement en français' }] },
      { somethingElse: true },
    ]) {
      const res = await w.dpo.agent.patch(path).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    const zero = await w.dpo.agent.patch(path).send({ citizenRetentionDays: 0 });
    expect(zero.body.errors[0]).toMatchObject({
      field: 'citizenRetentionDays',
      message: 'must be a whole number of days from 1 to 3650',
    });
    expect(await writeCounts(app)).toEqual(before);
    expect((await w.dpo.agent.get(path)).body.citizenRetentionDays).toBe(30);

    const changed = await w.dpo.agent
      .patch(path)
      .send({
        citizenRetentionDays: 7,
        legalBases: [{ taskType: 'certificat_residence', fr: 'Base régionale', en: 'Regional basis' }],
      })
      .expect(200);
    expect(changed.body).toMatchObject({ citizenRetentionDays: 7, regional: true });
    // The region's wording comes with the citizen data.
    const task = await postTask(w.manager, { type: 'certificat_residence' });
    const read = await w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(read.body.legalBasis).toEqual({ fr: 'Base régionale', en: 'Regional basis' });
    // And the other region keeps the platform's.
    expect((await w.foreignDpo.agent.get(path)).status).toBe(404);
  });

  it("erases citizen data once the region's retention has passed since the task was done, as an event", async () => {
    await w.dpo.agent
      .patch(`/api/v1/regions/${w.region.id}/data-protection`)
      .send({ citizenRetentionDays: 7 })
      .expect(200);
    const old = await doneTask(w);
    const open = await postTask(w.manager);
    clock.advance(6 * DAY);
    await app.running.scheduler.runDue();
    expect((await w.manager.agent.get(`/api/v1/tasks/${old.id}`)).body.citizen).toBeDefined();

    clock.advance(2 * DAY);
    const runs = await app.running.scheduler.runDue();
    expect(runs.find((r) => r.name === 'citizen-retention')?.result.erased).toBeGreaterThanOrEqual(1);
    const erased = await w.manager.agent.get(`/api/v1/tasks/${old.id}`).expect(200);
    expect(erased.body.citizen).toBeUndefined();
    expect(erased.body).toMatchObject({ hasCitizenData: false, citizenWithheld: 'erased', status: 'done' });
    // An open task keeps its data, however old.
    expect((await w.manager.agent.get(`/api/v1/tasks/${open.id}`)).body.citizen).toBeDefined();

    const history = await w.coordinator.agent.get(`/api/v1/tasks/${old.id}/events`).expect(200);
    const erasure = (history.body.items as { action: string; actorUserId: string | null }[]).at(-1);
    expect(erasure).toMatchObject({ action: 'erase_citizen', actorUserId: null });
    expect(history.body.chainValid).toBe(true);
    const trail = await w.dpo.agent.get(`/api/v1/audit?kind=citizen_erased&taskId=${old.id}`).expect(200);
    expect(trail.body.items).toHaveLength(1);
  });

  it('runs each job once per interval, and keeps its schedule in the database', async () => {
    clock.advance(HOUR);
    const first = await app.running.scheduler.runDue();
    const again = await app.running.scheduler.runDue();
    expect(first.map((r) => r.name)).toContain('citizen-retention');
    expect(again).toEqual([]);
    const [row] = await app.running.database.db.select().from(jobs).where(eq(jobs.name, 'citizen-retention'));
    expect(row?.nextRunAt.getTime()).toBe(clock.now().getTime() + HOUR);
  });
});

// Two instances need the PostgreSQL server: PGlite belongs to one process.
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('scheduled jobs across instances on %s', (driver) => {
    it('run once however many instances find them due at the same moment', async () => {
      const clock = new ManualClock(Date.now() + 60_000);
      const first = await startTestApp(driver, { CITIZEN_RETENTION_DAYS: '1', JOBS_CHECK_SECONDS: '0' }, { clock });
      const second = await startSecondInstance(first, { clock });
      try {
        const w = await makeWorld(first);
        const tasks = await Promise.all([doneTask(w), doneTask(w), doneTask(w)]);
        clock.advance(2 * DAY);
        const [a, b] = await Promise.all([first.running.scheduler.runDue(), second.running.scheduler.runDue()]);
        const erasedBy = [...a, ...b].filter((r) => r.name === 'citizen-retention');
        expect(erasedBy).toHaveLength(1);
        expect(erasedBy[0]?.result.erased).toBe(3);
        for (const task of tasks) {
          const erasures = await first.running.database.db.select().from(events).where(eq(events.taskId, task.id));
          expect(erasures.filter((e) => e.action === 'erase_citizen')).toHaveLength(1);
        }
      } finally {
        await second.stop();
        await first.stop();
      }
    });
  });
}
