import { eq, sql } from 'drizzle-orm';
import { tasks } from '../../server/db/schema';
import { postTask, type TestUser } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const past = () => new Date(Date.now() - 3_600_000).toISOString();
const future = () => new Date(Date.now() + 86_400_000).toISOString();

describe.each(drivers)('commune loads on %s', (driver) => {
  const t = useWorld(driver);

  const act = async (user: TestUser, id: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await user.agent.get(`/api/v1/tasks/${id}`);
    const res = await user.agent.post(`/api/v1/tasks/${id}/${action}`).send({ version: current.body.version, ...body });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  it("counts each commune's backlog and held work by status, overdue and done today, in its region only", async () => {
    const { manager, clerk, clerk2, foreignManager, coordinator } = t.w;
    await postTask(manager, { dueAt: future() }); // open
    await postTask(manager, { dueAt: past() }); // open, overdue
    const claimedLate = await postTask(manager, { dueAt: past() });
    await clerk.agent.post(`/api/v1/tasks/${claimedLate.id}/claim`).expect(200); // claimed by helper, overdue
    const started = await postTask(manager, { dueAt: future() });
    await clerk2.agent.post(`/api/v1/tasks/${started.id}/claim`).expect(200);
    await act(clerk2, started.id, 'start'); // in progress at helper2
    const done = await postTask(manager, { dueAt: past() });
    await clerk.agent.post(`/api/v1/tasks/${done.id}/claim`).expect(200);
    await act(clerk, done.id, 'start');
    await act(clerk, done.id, 'complete'); // done today by helper: neither overdue nor active
    const doneLongAgo = await postTask(manager, { dueAt: past() });
    await clerk.agent.post(`/api/v1/tasks/${doneLongAgo.id}/claim`).expect(200);
    await act(clerk, doneLongAgo.id, 'start');
    await act(clerk, doneLongAgo.id, 'complete');
    await t.app.running.database.db
      .update(tasks)
      .set({ doneAt: sql`now() - interval '3 days'` })
      .where(eq(tasks.id, doneLongAgo.id));
    const cancelled = await postTask(manager, { dueAt: past() });
    await act(manager, cancelled.id, 'cancel', { reason: 'Doublon' }); // counts nowhere
    await postTask(foreignManager, { dueAt: past() }); // another region

    const res = await coordinator.agent.get('/api/v1/communes/load');
    expect(res.status).toBe(200);
    const byCommune = new Map((res.body.items as { communeId: string }[]).map((l) => [l.communeId, l]));
    expect(byCommune.size).toBe(3);
    expect(byCommune.get(t.w.stricken.id)).toMatchObject({
      posted: { open: 2, claimed: 1, inProgress: 1, waitingInfo: 0, overdue: 2, doneToday: 1 },
      held: { claimed: 0, inProgress: 0, waitingInfo: 0, overdue: 0, doneToday: 0 },
      throughput24h: 0,
    });
    expect(byCommune.get(t.w.helper.id)).toMatchObject({
      posted: { open: 0, claimed: 0, inProgress: 0, waitingInfo: 0, overdue: 0, doneToday: 0 },
      held: { claimed: 1, inProgress: 0, waitingInfo: 0, overdue: 1, doneToday: 1 },
      throughput24h: 1,
    });
    expect(byCommune.get(t.w.helper2.id)).toMatchObject({
      held: { claimed: 0, inProgress: 1, waitingInfo: 0, overdue: 0, doneToday: 0 },
      throughput24h: 0,
    });
    // One commune's load answers the same figures as the region's list.
    const one = await coordinator.agent.get(`/api/v1/communes/${t.w.helper.id}/load`);
    expect(one.body).toMatchObject({ held: { claimed: 1, overdue: 1, doneToday: 1 }, throughput24h: 1 });
  });
});
