import { and, eq } from 'drizzle-orm';
import { events } from '../../server/db/schema';
import type { JobRun } from '../../server/jobs/scheduler';
import { makeUser, makeWorld, postTask, type TestUser } from '../factories';
import { HOUR, ManualClock } from '../helpers/clock';
import { drivers } from '../helpers/test-app';
import { useTwoInstances } from '../helpers/use-test-app';

const MINUTE = 60_000;

const runsOf = (runs: JobRun[]) => runs.filter((r) => r.name === 'overdue-escalations');

describe.each(drivers)('overdue escalations on %s with two instances', (driver) => {
  const clock = new ManualClock(Date.now() + MINUTE);
  const apps = useTwoInstances(driver, clock);
  const both = async () => {
    const [a, b] = await Promise.all([apps.first.running.scheduler.runDue(), apps.second.running.scheduler.runDue()]);
    return [...a, ...b];
  };
  const inbox = async (user: TestUser, taskId: string) => {
    for (const app of [apps.first, apps.second]) {
      await app.running.sequencer.flush();
      await app.running.notifier.idle();
    }
    const res = await user.agent.get('/api/v1/notifications?limit=100').expect(200);
    return (res.body.items as { kind: string; taskId: string }[]).filter((n) => n.taskId === taskId).map((n) => n.kind);
  };
  const escalations = (taskId: string) =>
    apps.first.running.database.db
      .select()
      .from(events)
      .where(and(eq(events.taskId, taskId), eq(events.action, 'escalated')));

  it('tells the holder once a held task is overdue, then the coordinators a step later, each once', async () => {
    const w = await makeWorld(apps.first);
    const manager2 = await makeUser(apps.first, 'manager', { communeId: w.helper.id });
    await w.coordinator.agent
      .patch(`/api/v1/regions/${w.region.id}/settings`)
      .send({ remindAfterHours: 2 })
      .expect(200);
    await both();
    const dueAt = new Date(clock.now().getTime() + HOUR).toISOString();
    const held = await postTask(w.manager, { dueAt });
    await w.clerk.agent.post(`/api/v1/tasks/${held.id}/claim`).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${held.id}/start`).send({ version: 2 }).expect(200);
    // An open task has no holder to tell; a finished one is no longer late.
    const open = await postTask(w.manager, { dueAt });
    const finished = await postTask(w.manager, { dueAt });
    await w.clerk.agent.post(`/api/v1/tasks/${finished.id}/claim`).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${finished.id}/start`).send({ version: 2 }).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${finished.id}/complete`).send({ version: 3 }).expect(200);

    clock.advance(55 * MINUTE);
    await both();
    expect(await escalations(held.id)).toHaveLength(0);

    clock.advance(10 * MINUTE);
    const runs = runsOf(await both());
    expect(runs).toHaveLength(1);
    const task = (await w.clerk.agent.get(`/api/v1/tasks/${held.id}`).expect(200)).body;
    expect(task).toMatchObject({ status: 'in_progress', escalationLevel: 1, version: 3 });
    const history = (await w.coordinator.agent.get(`/api/v1/tasks/${held.id}/events`).expect(200)).body;
    expect(history.items.at(-1)).toMatchObject({
      action: 'escalated',
      escalationLevel: 1,
      actorKind: 'system',
      fromStatus: 'in_progress',
      toStatus: 'in_progress',
    });
    expect(history.chainValid).toBe(true);
    expect(await inbox(w.clerk, held.id)).toEqual(['escalated']);
    expect(await inbox(manager2, held.id)).toEqual(['escalated']);
    expect(await inbox(w.coordinator, held.id)).toEqual([]);
    for (const other of [open, finished]) expect(await escalations(other.id)).toHaveLength(0);

    // Not to the coordinators before the region's step (remindAfterHours) has passed.
    clock.advance(HOUR + 50 * MINUTE);
    await both();
    expect(await escalations(held.id)).toHaveLength(1);

    clock.advance(15 * MINUTE);
    await both();
    const level2 = (await w.coordinator.agent.get(`/api/v1/tasks/${held.id}/events`).expect(200)).body.items.at(-1);
    expect(level2).toMatchObject({ action: 'escalated', escalationLevel: 2, actorKind: 'system' });
    expect(await inbox(w.coordinator, held.id)).toEqual(['escalated']);
    expect(await inbox(w.foreignCoordinator, held.id)).toEqual([]);
    expect(await inbox(w.clerk, held.id)).toEqual(['escalated']);

    // Once per level, however often the job runs.
    for (let i = 0; i < 3; i++) {
      clock.advance(3 * HOUR);
      await both();
    }
    expect(await escalations(held.id)).toHaveLength(2);
    expect((await w.clerk.agent.get(`/api/v1/tasks/${held.id}`).expect(200)).body.escalationLevel).toBe(2);
  });
});
