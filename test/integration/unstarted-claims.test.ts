import { and, eq } from 'drizzle-orm';
import { events, jobs } from '../../server/db/schema';
import type { JobRun } from '../../server/jobs/scheduler';
import { makeCommune, makeUser, makeWorld, postTask, type TestUser, type World } from '../factories';
import { HOUR, ManualClock } from '../helpers/clock';
import { connectBoard, nextEvent } from '../helpers/sockets';
import { drivers, startSecondInstance, startTestApp, type TestApp } from '../helpers/test-app';

const MINUTE = 60_000;

async function claim(clerk: TestUser, manager: TestUser) {
  const task = await postTask(manager);
  await clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  return task;
}

/** The total a job reported over runs (of any instance). */
function total(runs: JobRun[], job: string, key: string): number {
  return runs.filter((r) => r.name === job).reduce((n, r) => n + (r.result[key] ?? 0), 0);
}

async function actionsOf(app: TestApp, taskId: string, action: string) {
  return app.running.database.db
    .select()
    .from(events)
    .where(and(eq(events.taskId, taskId), eq(events.action, action)));
}

describe.each(drivers)('claims not started, on %s with two instances', (driver) => {
  // Claims are made "now"; the clock then moves as the test says, and the jobs run when asked.
  const clock = new ManualClock(Date.now() + MINUTE);
  let first: TestApp;
  let second: TestApp;
  let w: World;
  const both = async () => {
    const [a, b] = await Promise.all([first.running.scheduler.runDue(), second.running.scheduler.runDue()]);
    return [...a, ...b];
  };

  beforeAll(async () => {
    first = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' }, { clock });
    second = await startSecondInstance(first, { clock });
    w = await makeWorld(first);
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('reminds the holder once per claim, by the system, and releases stale claims once, by the system', async () => {
    await w.coordinator.agent
      .patch(`/api/v1/regions/${w.region.id}/settings`)
      .send({ remindAfterHours: 2, staleClaimHours: 10 })
      .expect(200);
    // Clean slate: the jobs have run once (a job new to the database is due at once).
    await both();
    const stale = [await claim(w.clerk, w.manager), await claim(w.clerk2, w.manager)];
    const started = await claim(w.clerk, w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${started.id}/start`).send({ version: 2 }).expect(200);
    // Another region keeps the defaults: reminded after 4 hours, released after 24.
    const foreignHelper = await makeUser(first, 'clerk', {
      communeId: (await makeCommune(first, w.otherRegion.id)).id,
    });
    const foreign = await claim(foreignHelper, w.foreignManager);

    clock.advance(HOUR + 30 * MINUTE);
    expect(total(await both(), 'claim-reminders', 'reminded')).toBe(0);

    clock.advance(HOUR);
    const reminders = await both();
    expect(reminders.filter((r) => r.name === 'claim-reminders')).toHaveLength(1);
    expect(total(reminders, 'claim-reminders', 'reminded')).toBe(2);
    for (const task of stale) {
      const seen = await w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
      expect(seen.body).toMatchObject({ status: 'claimed', version: 2 });
      expect(seen.body.remindedAt).toBe(clock.now().toISOString());
      const history = await w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'reminded',
        actorKind: 'system',
        actorUserId: null,
        actorName: null,
        fromStatus: 'claimed',
        toStatus: 'claimed',
      });
    }
    expect((await w.clerk.agent.get(`/api/v1/tasks/${started.id}`)).body.remindedAt).toBeNull();
    expect((await w.foreignClerk.agent.get(`/api/v1/tasks/${foreign.id}`)).body.remindedAt).toBeNull();

    // Not twice for the same claim, however often the job runs.
    let reminded = 0;
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * HOUR);
      reminded += total(await both(), 'claim-reminders', 'reminded');
    }
    expect(reminded).toBe(1); // the other region's claim, at 4 hours, once
    for (const task of [...stale, foreign]) expect(await actionsOf(first, task.id, 'reminded')).toHaveLength(1);

    // Past ten hours: the region's two stale claims go back to open, live, by the system.
    const socket = await connectBoard(first.url, w.manager.cookie);
    try {
      const released = nextEvent(socket, 'task:updated', (e) => e.task.id === stale[0]?.id && e.task.status === 'open');
      clock.advance(3 * HOUR + MINUTE);
      const runs = await both();
      expect(runs.filter((r) => r.name === 'stale-claims')).toHaveLength(1);
      expect(total(runs, 'stale-claims', 'released')).toBe(2);
      expect((await released).task).toMatchObject({ claimedByCommuneId: null, status: 'open', remindedAt: null });
    } finally {
      socket.close();
    }
    for (const task of stale) {
      const seen = await w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
      expect(seen.body).toMatchObject({ status: 'open', claimedByCommuneId: null, claimedAt: null, version: 3 });
      const history = await w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'release',
        actorKind: 'system',
        actorUserId: null,
        fromStatus: 'claimed',
        toStatus: 'open',
      });
      expect(history.body.chainValid).toBe(true);
    }
    expect((await w.clerk.agent.get(`/api/v1/tasks/${started.id}`)).body.status).toBe('in_progress');
    expect((await w.foreignClerk.agent.get(`/api/v1/tasks/${foreign.id}`)).body.status).toBe('claimed');

    // Once: running again releases nothing more.
    clock.advance(10 * MINUTE);
    expect(total(await both(), 'stale-claims', 'released')).toBe(0);
    for (const task of stale) expect(await actionsOf(first, task.id, 'release')).toHaveLength(1);

    // A new claim of a released task is reminded again: once per claim.
    await w.clerk2.agent.post(`/api/v1/tasks/${stale[0]?.id}/claim`).expect(200);
    clock.advance(24 * HOUR);
    const later = await both();
    expect(total(later, 'claim-reminders', 'reminded')).toBe(0); // past 10 hours: released, not reminded, whichever instance runs first
    expect(total(later, 'stale-claims', 'released')).toBe(2); // that claim, and the foreign one at 24 h
  });

  it('keeps the schedule in the database across a restart', async () => {
    clock.advance(10 * MINUTE);
    // The jobs of claims not started; the others (retention, the notifier's sweep, deliveries) keep their own times.
    const ours = new Set(['claim-reminders', 'stale-claims']);
    const names = (runs: JobRun[]) => runs.map((r) => r.name).filter((name) => ours.has(name));
    expect(names(await both()).sort()).toEqual(['claim-reminders', 'stale-claims']);
    const [row] = await first.running.database.db.select().from(jobs).where(eq(jobs.name, 'stale-claims'));
    expect(row?.nextRunAt.getTime()).toBe(clock.now().getTime() + 5 * MINUTE);
    // The second instance restarts: the new one finds the jobs not due, then due five minutes on.
    await second.stop();
    second = await startSecondInstance(first, { clock });
    expect(names(await second.running.scheduler.runDue())).toEqual([]);
    clock.advance(5 * MINUTE);
    expect(names(await second.running.scheduler.runDue()).sort()).toEqual(['claim-reminders', 'stale-claims']);
  });
});
