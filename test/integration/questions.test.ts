import { and, asc, count, eq } from 'drizzle-orm';
import { deliveries, events, tasks } from '../../server/db/schema';
import type { JobRun } from '../../server/jobs/scheduler';
import { makeWorld, postTask, type TestUser, type World } from '../factories';
import { HOUR, ManualClock } from '../helpers/clock';
import { notificationCounts, writeCounts } from '../helpers/db-state';
import { connectBoard, nextEvent } from '../helpers/sockets';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

const MINUTE = 60_000;

interface SeenTask {
  id: string;
  status: string;
  version: number;
  dueAt: string;
  claimedAt: string | null;
  overdue: boolean;
  waiting: { question: string; since: string; from: string } | null;
  abilities: { ask: boolean; answer: boolean };
}

/** The total a job reported over runs. */
const total = (runs: JobRun[], job: string, key: string) =>
  runs.filter((r) => r.name === job).reduce((n, r) => n + (r.result[key] ?? 0), 0);

describe.each(drivers)('questions to the requesting commune (waiting_info) on %s', (driver) => {
  // The clock moves as the test says; the jobs run when asked.
  const clock = new ManualClock(Date.now() + MINUTE);
  let app: TestApp;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' }, { clock });
    w = await makeWorld(app);
    await w.coordinator.agent
      .patch(`/api/v1/regions/${w.region.id}/settings`)
      .send({ maxActiveClaimsPerCommune: 10_000 })
      .expect(200);
  });
  afterAll(async () => {
    await app.stop();
  });

  const db = () => app.running.database.db;
  const seen = async (user: TestUser, id: string) =>
    (await user.agent.get(`/api/v1/tasks/${id}`).expect(200)).body as SeenTask;
  /** A task due `dueIn` from the clock's now, claimed by the world's clerk (and started with `start`). */
  const held = async ({ dueIn = 2 * HOUR, start = false } = {}) => {
    const task = await postTask(w.manager, { dueAt: new Date(clock.now().getTime() + dueIn).toISOString() });
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    if (start) await w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    return seen(w.clerk, task.id);
  };
  const ask = (user: TestUser, task: { id: string; version: number }, text = 'Quelle est l’adresse exacte ?') =>
    user.agent.post(`/api/v1/tasks/${task.id}/questions`).send({ version: task.version, text });
  const answer = (user: TestUser, task: { id: string; version: number }, text = 'Rue Haute 5, 4000 Liège') =>
    user.agent.post(`/api/v1/tasks/${task.id}/answers`).send({ version: task.version, text });
  /** The task's row and events, and the write counts: equal before and after means a refusal changed nothing. */
  const stateOf = async (taskId: string) => {
    const [row] = await db().select().from(tasks).where(eq(tasks.id, taskId));
    const [logged] = await db().select({ n: count() }).from(events).where(eq(events.taskId, taskId));
    return { row, events: logged?.n, writes: await writeCounts(app) };
  };
  const settled = async () => {
    await app.running.sequencer.flush();
    await app.running.notifier.idle();
  };
  const inbox = async (user: TestUser, taskId: string) => {
    await settled();
    const res = await user.agent.get('/api/v1/notifications?limit=100').expect(200);
    return (res.body.items as { kind: string; taskId: string; title: string }[]).filter((n) => n.taskId === taskId);
  };
  const counts = async () =>
    (await w.manager.agent.get(`/api/v1/tasks/counts?commune=${w.stricken.id}`).expect(200)).body as Record<
      string,
      number
    >;

  it('asks and answers: the task waits, is not overdue meanwhile, and goes back where it was, due later by the wait', async () => {
    const task = await held({ start: true, dueIn: 2 * HOUR });
    expect(task).toMatchObject({ status: 'in_progress', version: 3, waiting: null, abilities: { ask: true } });
    const before = await counts();
    const socket = await connectBoard(app.url, w.manager.cookie);
    try {
      const live = nextEvent(socket, 'task:updated', (e) => e.task.id === task.id && e.task.status === 'waiting_info');
      const asked = await ask(w.clerk, task, '  Quelle est l’adresse exacte ?  ').expect(200);
      expect(asked.body).toMatchObject({
        status: 'waiting_info',
        version: 4,
        waiting: { question: 'Quelle est l’adresse exacte ?', since: clock.now().toISOString(), from: 'in_progress' },
        abilities: { ask: false, answer: false },
      });
      expect((await live).task).toMatchObject({ status: 'waiting_info', version: 4 });
    } finally {
      socket.close();
    }
    expect((await seen(w.manager, task.id)).abilities).toMatchObject({ ask: false, answer: true });

    // Five hours waiting: past the due date, yet not overdue, and counted in its own column.
    clock.advance(5 * HOUR);
    const waiting = await seen(w.manager, task.id);
    expect(waiting).toMatchObject({ status: 'waiting_info', overdue: false });
    const during = await counts();
    expect(during.waiting_info).toBe(before.waiting_info! + 1);
    expect(during.in_progress).toBe(before.in_progress! - 1);
    expect(during.overdue).toBe(before.overdue);
    const overdueList = await w.manager.agent
      .get(`/api/v1/tasks?commune=${w.stricken.id}&overdue=true&status=waiting_info`)
      .expect(200);
    expect(overdueList.body.items).toHaveLength(0);
    const column = await w.manager.agent
      .get(`/api/v1/tasks?commune=${w.stricken.id}&status=waiting_info&limit=100`)
      .expect(200);
    expect((column.body.items as { id: string }[]).map((t) => t.id)).toContain(task.id);

    const answered = await answer(w.manager, waiting).expect(200);
    expect(answered.body).toMatchObject({ status: 'in_progress', version: 5, waiting: null, overdue: false });
    expect(new Date(answered.body.dueAt).getTime()).toBe(new Date(task.dueAt).getTime() + 5 * HOUR);
    expect(await counts()).toEqual(before);

    // Both texts in the history, the actions named, the statuses as they went.
    const history = await w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
    expect(history.body.chainValid).toBe(true);
    expect(
      (history.body.items as { action: string; fromStatus: string; toStatus: string; note: string }[]).slice(-2),
    ).toMatchObject([
      {
        action: 'question',
        fromStatus: 'in_progress',
        toStatus: 'waiting_info',
        note: 'Quelle est l’adresse exacte ?',
      },
      { action: 'answer', fromStatus: 'waiting_info', toStatus: 'in_progress', note: 'Rue Haute 5, 4000 Liège' },
    ]);

    // The question reaches the requesting commune's managers, the answer the holder's clerks; not the free text.
    const managerHeard = await inbox(w.manager, task.id);
    expect(managerHeard.map((n) => n.kind)).toContain('question');
    expect(managerHeard.map((n) => n.kind)).not.toContain('answer');
    const clerkHeard = await inbox(w.clerk, task.id);
    expect(clerkHeard.map((n) => n.kind)).toContain('answer');
    expect(clerkHeard.map((n) => n.kind)).not.toContain('question');
    for (const n of [...managerHeard, ...clerkHeard]) expect(n.title).not.toContain('Rue Haute');
    expect((await inbox(w.clerk2, task.id)).map((n) => n.kind)).toEqual([]);
  });

  it('sends a claim not started back to claimed, its claim time moved by the wait as its due date', async () => {
    const task = await held();
    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    expect(asked.waiting?.from).toBe('claimed');
    clock.advance(3 * HOUR);
    const answered = (await answer(w.manager, asked).expect(200)).body as SeenTask;
    expect(answered).toMatchObject({ status: 'claimed', waiting: null });
    expect(new Date(answered.dueAt).getTime()).toBe(new Date(task.dueAt).getTime() + 3 * HOUR);
    expect(new Date(answered.claimedAt ?? '').getTime()).toBe(new Date(task.claimedAt ?? '').getTime() + 3 * HOUR);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const task = await held();
    const before = await stateOf(task.id);
    const res = await ask(w.clerk, { id: task.id, version: 1 }).expect(409);
    expect(res.body).toMatchObject({ code: 'stale_version' });
    expect(await stateOf(task.id)).toEqual(before);
    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    const waiting = await stateOf(task.id);
    const stale = await answer(w.manager, { id: task.id, version: asked.version - 1 }).expect(409);
    expect(stale.body).toMatchObject({ code: 'stale_version' });
    expect(await stateOf(task.id)).toEqual(waiting);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['10,000 characters', 'x'.repeat(10_000)],
    ['2,001 characters', 'x'.repeat(2001)],
    ['missing', undefined],
  ])('refuses a %s text with a 400 problem and changes nothing', async (_name, text) => {
    const task = await held();
    const before = await stateOf(task.id);
    const res = await w.clerk.agent.post(`/api/v1/tasks/${task.id}/questions`).send({ version: task.version, text });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.field).toBe('text');
    expect(await stateOf(task.id)).toEqual(before);

    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    const waiting = await stateOf(task.id);
    const refused = await w.manager.agent
      .post(`/api/v1/tasks/${task.id}/answers`)
      .send({ version: asked.version, text });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.field).toBe('text');
    expect(await stateOf(task.id)).toEqual(waiting);
  });

  it('takes a text of exactly 2,000 characters', async () => {
    const task = await held();
    const res = await ask(w.clerk, task, 'é'.repeat(2000)).expect(200);
    expect(res.body.waiting.question).toHaveLength(2000);
  });

  it('asks only of a claimed or started task, and answers only a waiting one (409, nothing changed)', async () => {
    // A task the clerk's commune holds no more: done.
    const finished = await held({ start: true });
    const done = await w.clerk.agent
      .post(`/api/v1/tasks/${finished.id}/complete`)
      .send({ version: finished.version })
      .expect(200);
    const beforeDone = await stateOf(finished.id);
    const res = await ask(w.clerk, done.body as SeenTask).expect(409);
    expect(res.body).toMatchObject({ code: 'invalid_transition' });
    expect(await stateOf(finished.id)).toEqual(beforeDone);
    // An open task has no holder to ask: its clerks are not (yet) the holder's, as for a start (403).
    const open = await postTask(w.manager);
    const beforeOpen = await stateOf(open.id);
    await ask(w.clerk, open).expect(403);
    expect(await stateOf(open.id)).toEqual(beforeOpen);

    const task = await held();
    const notWaiting = await stateOf(task.id);
    expect((await answer(w.manager, task).expect(409)).body).toMatchObject({ code: 'invalid_transition' });
    expect(await stateOf(task.id)).toEqual(notWaiting);

    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    const waiting = await stateOf(task.id);
    expect((await ask(w.clerk, asked).expect(409)).body).toMatchObject({ code: 'invalid_transition' });
    // Neither started nor completed while it waits.
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: asked.version }).expect(409);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: asked.version }).expect(409);
    expect(await stateOf(task.id)).toEqual(waiting);
  });

  it('lets only the holder’s clerks ask and the requesting commune’s managers answer; other regions get 404', async () => {
    const task = await held();
    const before = await stateOf(task.id);
    // Whoever is not a clerk is refused before the task is read (403, as for a start); a clerk of
    // another region does not learn that it exists (404).
    for (const user of [w.manager, w.strickenClerk, w.clerk2, w.coordinator, w.dpo, w.admin, w.foreignManager]) {
      expect((await ask(user, task)).status).toBe(403);
    }
    expect((await ask(w.foreignClerk, task)).status).toBe(404);
    expect(await stateOf(task.id)).toEqual(before);

    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    const waiting = await stateOf(task.id);
    for (const user of [w.clerk, w.strickenClerk, w.clerk2, w.coordinator, w.dpo, w.admin, w.foreignClerk]) {
      expect((await answer(user, asked)).status).toBe(403);
    }
    expect((await answer(w.foreignManager, asked)).status).toBe(404);
    expect(await stateOf(task.id)).toEqual(waiting);
  });

  it('counts a waiting task as an active claim against the cap', async () => {
    const world = await makeWorld(app);
    await world.coordinator.agent
      .patch(`/api/v1/regions/${world.region.id}/settings`)
      .send({ maxActiveClaimsPerCommune: 1 })
      .expect(200);
    const first = await postTask(world.manager);
    await world.clerk.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);
    await ask(world.clerk, { id: first.id, version: 2 }).expect(200);
    const second = await postTask(world.manager);
    const capped = await world.clerk.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(409);
    expect(capped.body).toMatchObject({ code: 'claim_cap', cap: 1, active: 1 });
    // Released from waiting_info (the answer did not come), the room comes back.
    await world.clerk.agent
      .post(`/api/v1/tasks/${first.id}/release`)
      .send({ version: 3, reason: 'Sans réponse' })
      .expect(200);
    await world.clerk.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(200);
  });

  it('releases and cancels from waiting_info: the task no longer waits', async () => {
    const released = await held({ dueIn: HOUR });
    const asked = (await ask(w.clerk, released).expect(200)).body as SeenTask;
    clock.advance(2 * HOUR);
    const back = await w.clerk.agent
      .post(`/api/v1/tasks/${released.id}/release`)
      .send({ version: asked.version, reason: 'Pas de réponse' })
      .expect(200);
    // The wait is credited only by an answer: released unanswered, it keeps its due date.
    expect(back.body).toMatchObject({ status: 'open', waiting: null, claimedByCommuneId: null });
    expect(back.body.dueAt).toBe(released.dueAt);

    const cancelled = await held();
    const waiting = (await ask(w.clerk, cancelled).expect(200)).body as SeenTask;
    const res = await w.manager.agent
      .post(`/api/v1/tasks/${cancelled.id}/cancel`)
      .send({ version: waiting.version, reason: 'Plus nécessaire' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', waiting: null });
    // A reassignment moves a claim at work, not one waiting on its answer.
    const other = await held();
    const otherWaiting = (await ask(w.clerk, other).expect(200)).body as SeenTask;
    await w.coordinator.agent
      .post(`/api/v1/tasks/${other.id}/reassign`)
      .send({ version: otherWaiting.version, communeId: w.helper2.id })
      .expect(409);
  });

  it('leaves waiting tasks alone in the reminder, stale-claim and escalation jobs', async () => {
    const world = await makeWorld(app);
    await world.coordinator.agent
      .patch(`/api/v1/regions/${world.region.id}/settings`)
      .send({ remindAfterHours: 1, staleClaimHours: 2 })
      .expect(200);
    await app.running.scheduler.runDue();
    const task = await postTask(world.manager, { dueAt: new Date(clock.now().getTime() + HOUR).toISOString() });
    await world.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const asked = (await ask(world.clerk, { id: task.id, version: 2 }).expect(200)).body as SeenTask;
    clock.advance(5 * HOUR);
    const runs = await app.running.scheduler.runDue();
    expect(runs.map((r) => r.name)).toEqual(
      expect.arrayContaining(['claim-reminders', 'stale-claims', 'overdue-escalations']),
    );
    const after = await seen(world.manager, task.id);
    expect(after).toMatchObject({ status: 'waiting_info', version: asked.version });
    const actions = await db()
      .select({ action: events.action })
      .from(events)
      .where(and(eq(events.taskId, task.id)))
      .orderBy(asc(events.id));
    expect(actions.map((e) => e.action)).toEqual(['create', 'claim', 'question']);
    expect(total(runs, 'stale-claims', 'released')).toBe(0);
  });

  it('notifies and calls webhooks for task.question and task.answer', async () => {
    const hook = await w.manager.agent
      .post('/api/v1/webhooks')
      .send({ url: 'https://203.0.113.10/hook', events: ['task.question', 'task.answer'] })
      .expect(201);
    const before = await notificationCounts(app);
    const task = await held();
    const asked = (await ask(w.clerk, task).expect(200)).body as SeenTask;
    await answer(w.manager, asked).expect(200);
    await settled();
    const after = await notificationCounts(app);
    expect(after.deliveries).toBeGreaterThan(before.deliveries);
    const queued = await db()
      .select()
      .from(deliveries)
      .where(eq(deliveries.webhookId, hook.body.id as string));
    const names = queued.filter((d) => (d.payload ?? '').includes(task.id)).map((d) => d.event);
    expect(names.sort()).toEqual(['task.answer', 'task.question']);
    for (const d of queued) expect(d.payload ?? '').not.toContain('Rue Haute');
  });
});
