import { count, eq, inArray, or } from 'drizzle-orm';
import { reportDay } from '../../shared/schemas';
import { communeClaimCounts, events, notifications, taskSearch, tasks } from '../../server/db/schema';
import { makeWorld, postTask, type TestUser, type World } from '../factories';
import { ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { connectBoard } from '../helpers/sockets';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

interface DrillTask {
  id: string;
  version: number;
  status: string;
  drillId: string | null;
  requestingCommuneId: string;
  title: string;
}

/** What an answer says, without the moment it was made (which moves between two reads). */
function withoutMoments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMoments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !['asOf', 'at', 'checkedAt', 'generatedAt'].includes(k))
      .map(([k, v]) => [k, withoutMoments(v)]),
  );
}

describe.each(drivers)('drills on %s', (driver) => {
  const clock = new ManualClock();
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  /** Everything the real world reads, as each role reads it. */
  const realWorld = async () => {
    const day = reportDay(clock.now());
    const get = async (user: TestUser, path: string) => {
      const res = await user.agent.get(`/api/v1${path}`);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.headers['content-type']?.startsWith('text/csv')
        ? (res.text.split('\n').slice(1).sort() as unknown)
        : withoutMoments(res.body);
    };
    return {
      board: await get(w.clerk, '/tasks?limit=100'),
      counts: await get(w.clerk, '/tasks/counts'),
      coordinatorBoard: await get(w.coordinator, '/tasks?limit=100&sort=created'),
      loads: await get(w.coordinator, '/communes/load'),
      daily: await get(w.coordinator, `/reports/daily?date=${day}`),
      burndown: await get(w.coordinator, `/communes/${w.stricken.id}/burndown`),
      journal: await get(w.manager, `/communes/${w.stricken.id}/journal?from=${day}&to=${day}&limit=100`),
      changes: await get(w.clerk, '/changes?since=0&limit=100'),
      export: await get(w.coordinator, '/tasks/export.csv'),
      notifications: await get(w.manager, '/notifications'),
      claimCounts: await app.running.database.db.select().from(communeClaimCounts),
    };
  };

  const act = async (user: TestUser, task: { id: string }, action: string, body: Record<string, unknown> = {}) => {
    const current = await user.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    const res = await user.agent
      .post(`/api/v1/tasks/${task.id}/${action}`)
      .send({ version: current.body.version, ...body });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as DrillTask;
  };

  it('refuses a start without the right input, 401, 403 and bad sizes, changing nothing', async () => {
    const before = await writeCounts(app);
    expect((await app.anonymous().post('/api/v1/drills').send({ name: 'x', tasks: 1 })).status).toBe(401);
    for (const [body, field, message] of [
      [{ name: 'Exercice', tasks: 0 }, 'tasks', 'must be at least 1'],
      [{ name: 'Exercice', tasks: 10_000 }, 'tasks', 'must be at most 500'],
      [{ name: '', tasks: 5 }, 'name', 'is required'],
      [{ name: 'x'.repeat(121), tasks: 5 }, 'name', 'must be at most 120 characters'],
      [{ name: 'Exercice', tasks: 2.5 }, 'tasks', 'must be a whole number'],
    ] as const) {
      const res = await w.coordinator.agent.post('/api/v1/drills').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, message })]);
    }
    for (const user of [w.manager, w.clerk, w.dpo, w.admin]) {
      const res = await user.agent.post('/api/v1/drills').send({ name: 'Exercice', tasks: 5 });
      expect(res.status).toBe(403);
    }
    expect(await writeCounts(app)).toEqual(before);
    const list = await w.coordinator.agent.get('/api/v1/drills').expect(200);
    expect(list.body).toEqual({ running: null, items: [], nextCursor: null });
  });

  it('runs a drill beside the real board without the real world ever seeing it, then leaves no trace', async () => {
    const db = app.running.database.db;
    // The app's clock a little ahead of the database's: every real and made-up row of this test is
    // written before it, so the reports read as of it would count a drill's rows if they let them in.
    clock.set(Date.now() + 10 * 60_000);
    // Real work first: a task claimed and one done, so that every real figure is not zero.
    const real = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${real.id}/claim`).expect(200);
    const realDone = await postTask(w.manager);
    await w.clerk2.agent.post(`/api/v1/tasks/${realDone.id}/claim`).expect(200);
    await act(w.clerk2, realDone, 'start');
    await act(w.clerk2, realDone, 'complete', { note: 'Remis' });
    // The real events numbered and fanned out (the inboxes are part of the real world compared below).
    await app.running.sequencer.flush();
    await app.running.notifier.idle();
    const board = await connectBoard(app.url, w.clerk.cookie);
    const heard: unknown[] = [];
    board.on('task:created', (payload) => heard.push(payload));
    board.on('task:updated', (payload) => heard.push(payload));
    const before = await realWorld();
    const verifiedBefore = await w.dpo.agent.get('/api/v1/audit/verify').expect(200);
    expect(verifiedBefore.body.events.ok).toBe(true);

    try {
      // Start: the wave is posted, marked with the drill, over the region's communes.
      const wallAtStart = Date.now();
      const started = await w.coordinator.agent
        .post('/api/v1/drills')
        .send({ name: 'Exercice de printemps', tasks: 12, durationMinutes: 60 })
        .expect(201);
      const drill = started.body as { id: string; status: string; tasksPosted: number };
      // The first claim comes more than a second after the wave, so its report cannot read zero.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(drill).toMatchObject({ status: 'running', tasksPosted: 12, name: 'Exercice de printemps', report: null });
      const again = await w.coordinator.agent.post('/api/v1/drills').send({ name: 'Encore', tasks: 3 });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('drill_running');
      expect((await db.select({ n: count() }).from(tasks).where(eq(tasks.drillId, drill.id)))[0]?.n).toBe(12);

      // Everyone of the region sees it running; the other region does not.
      const seen = await w.clerk.agent.get('/api/v1/drills').expect(200);
      expect(seen.body).toMatchObject({ running: { id: drill.id }, items: [] });
      expect((await w.foreignClerk.agent.get('/api/v1/drills').expect(200)).body.running).toBeNull();
      expect((await w.foreignCoordinator.agent.get(`/api/v1/drills/${drill.id}`)).status).toBe(404);
      expect((await w.foreignCoordinator.agent.post(`/api/v1/drills/${drill.id}/end`).send({})).status).toBe(404);
      expect((await w.clerk.agent.post(`/api/v1/drills/${drill.id}/end`).send({})).status).toBe(403);

      // Exercise mode: the drill's board, made-up tasks only, marked and without citizen data.
      const drillBoard = await w.clerk.agent.get(`/api/v1/tasks?drill=${drill.id}&limit=100`).expect(200);
      const items = drillBoard.body.items as (DrillTask & { hasCitizenData: boolean })[];
      expect(items).toHaveLength(12);
      for (const task of items) {
        expect(task.drillId).toBe(drill.id);
        expect(task.hasCitizenData).toBe(false);
        expect(task.title).toMatch(/^EXERCICE \/ EXERCISE — .*\(fictif \/ fictitious\)$/);
      }
      expect(new Set(items.map((t) => t.requestingCommuneId)).size).toBe(3);
      const drillCounts = await w.clerk.agent.get(`/api/v1/tasks/counts?drill=${drill.id}`).expect(200);
      expect(drillCounts.body).toMatchObject({ open: 12 });

      // The real claim path works in the drill, with the same rules.
      const ofStricken = items.filter((t) => t.requestingCommuneId === w.stricken.id);
      const ofHelper2 = items.filter((t) => t.requestingCommuneId === w.helper2.id);
      const [first, third] = ofStricken;
      const [second] = ofHelper2;
      if (!first || !second || !third) throw new Error('too few drill tasks of other communes');
      const claimed = await w.clerk.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);
      expect(claimed.body).toMatchObject({ status: 'claimed', drillId: drill.id });
      await w.clerk.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(200);
      const lost = await w.clerk2.agent.post(`/api/v1/tasks/${first.id}/claim`);
      expect(lost.status).toBe(409);
      await act(w.clerk, first, 'start');
      await act(w.clerk, first, 'complete', { note: 'Exercice fait' });
      // Not one's own commune's task, in the drill as on the real board.
      expect((await w.clerk2.agent.post(`/api/v1/tasks/${ofHelper2[1]?.id ?? ''}/claim`)).status).toBe(403);
      await w.clerk2.agent.post(`/api/v1/tasks/${third.id}/claim`).expect(200);
      const history = await w.clerk.agent.get(`/api/v1/tasks/${first.id}/events`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
        'create',
        'claim',
        'start',
        'complete',
      ]);

      // The real world is as it was, throughout: no board, count, load, report, journal, feed, export,
      // notification or claim count moved, and no socket of the real board heard of the drill.
      await app.running.sequencer.flush();
      await app.running.notifier.idle();
      expect(await realWorld()).toEqual(before);
      expect(heard).toEqual([]);

      // End: the report, then nothing left of the drill's tasks.
      const ended = await w.coordinator.agent.post(`/api/v1/drills/${drill.id}/end`).send({}).expect(200);
      // From the wave to the first claim, in the database's time (the app's clock is ten minutes ahead):
      // within what the test itself took.
      const wallSeconds = Math.ceil((Date.now() - wallAtStart) / 1000);
      expect(ended.body.report.secondsToFirstClaim).toBeGreaterThanOrEqual(1);
      expect(ended.body.report.secondsToFirstClaim).toBeLessThanOrEqual(wallSeconds);
      expect(ended.body).toMatchObject({ id: drill.id, status: 'ended' });
      expect(ended.body.report).toEqual({
        tasksPosted: 12,
        secondsToFirstClaim: ended.body.report.secondsToFirstClaim,
        claimsPerCommune: expect.arrayContaining([
          { communeId: w.helper.id, communeName: w.helper.name, n: 2 },
          { communeId: w.helper2.id, communeName: w.helper2.name, n: 1 },
        ]),
        donePerCommune: [{ communeId: w.helper.id, communeName: w.helper.name, n: 1 }],
        doneTotal: 1,
        overdueAtEnd: 0,
      });
      expect(ended.body.report.claimsPerCommune).toHaveLength(2);
      const twice = await w.coordinator.agent.post(`/api/v1/drills/${drill.id}/end`).send({});
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('drill_ended');

      const drillTaskIds = items.map((t) => t.id);
      const left = async () => ({
        tasks: (await db.select({ n: count() }).from(tasks).where(eq(tasks.drillId, drill.id)))[0]?.n,
        events: (
          await db
            .select({ n: count() })
            .from(events)
            .where(or(eq(events.drillId, drill.id), inArray(events.taskId, drillTaskIds)))
        )[0]?.n,
        search: (await db.select({ n: count() }).from(taskSearch).where(inArray(taskSearch.taskId, drillTaskIds)))[0]
          ?.n,
        notifications: (
          await db.select({ n: count() }).from(notifications).where(inArray(notifications.taskId, drillTaskIds))
        )[0]?.n,
      });
      expect(await left()).toEqual({ tasks: 0, events: 0, search: 0, notifications: 0 });
      expect((await w.clerk.agent.get(`/api/v1/tasks/${first.id}`)).status).toBe(404);
      expect(await realWorld()).toEqual(before);

      // The chains of the real world still hold, the real task's own history too.
      const verified = await w.dpo.agent.get('/api/v1/audit/verify').expect(200);
      expect(verified.body.events).toMatchObject({ ok: true, firstBroken: null });
      expect((await w.clerk.agent.get(`/api/v1/tasks/${real.id}/events`).expect(200)).body.chainValid).toBe(true);

      // The coordinator's history keeps the report; a clerk sees no history; a new drill may start.
      const list = await w.coordinator.agent.get('/api/v1/drills').expect(200);
      expect(list.body).toMatchObject({ running: null, items: [{ id: drill.id, status: 'ended' }] });
      expect((await w.clerk.agent.get('/api/v1/drills').expect(200)).body.items).toEqual([]);
      const read = await w.coordinator.agent.get(`/api/v1/drills/${drill.id}`).expect(200);
      expect(read.body.report).toEqual(ended.body.report);
      const next = await w.coordinator.agent.post('/api/v1/drills').send({ name: 'Suivant', tasks: 1 }).expect(201);
      await w.coordinator.agent.post(`/api/v1/drills/${next.body.id}/end`).send({}).expect(200);
    } finally {
      board.close();
    }
  });

  it('keeps the real cap of active claims out of the drill: drill claims do not count against it', async () => {
    const region = w.region.id;
    await w.coordinator.agent
      .patch(`/api/v1/regions/${region}/settings`)
      .send({ maxActiveClaimsPerCommune: 1 })
      .expect(200);
    try {
      const started = await w.coordinator.agent.post('/api/v1/drills').send({ name: 'Cap', tasks: 6 }).expect(201);
      const list = await w.clerk2.agent.get(`/api/v1/tasks?drill=${started.body.id}&limit=100`).expect(200);
      const claimable = (list.body.items as DrillTask[]).filter((t) => t.requestingCommuneId !== w.helper2.id);
      const [a, b] = claimable;
      if (!a || !b) throw new Error('too few drill tasks');
      await w.clerk2.agent.post(`/api/v1/tasks/${a.id}/claim`).expect(200);
      await w.clerk2.agent.post(`/api/v1/tasks/${b.id}/claim`).expect(200);
      const real = await postTask(w.manager);
      await w.clerk2.agent.post(`/api/v1/tasks/${real.id}/claim`).expect(200);
      await w.coordinator.agent.post(`/api/v1/drills/${started.body.id}/end`).send({}).expect(200);
    } finally {
      await w.coordinator.agent
        .patch(`/api/v1/regions/${region}/settings`)
        .send({ maxActiveClaimsPerCommune: null })
        .expect(200);
    }
  });

  it('ends by itself once its planned time has passed, with its report, and leaves nothing behind', async () => {
    const db = app.running.database.db;
    const started = await w.coordinator.agent
      .post('/api/v1/drills')
      .send({ name: 'Exercice minuté', tasks: 3, durationMinutes: 30 })
      .expect(201);
    const id = started.body.id as string;
    const list = await w.clerk2.agent.get(`/api/v1/tasks?drill=${id}&limit=100`).expect(200);
    const claimable = (list.body.items as DrillTask[]).find((t) => t.requestingCommuneId !== w.helper2.id);
    if (!claimable) throw new Error('no drill task the second helper may claim');
    await w.clerk2.agent.post(`/api/v1/tasks/${claimable.id}/claim`).expect(200);

    // Before its time, the scheduler leaves it running.
    clock.advance(29 * 60_000);
    await app.running.scheduler.runDue();
    expect((await w.coordinator.agent.get(`/api/v1/drills/${id}`).expect(200)).body.status).toBe('running');

    clock.advance(2 * 60_000);
    const endedAt = clock.now().toISOString();
    await app.running.scheduler.runDue();
    const read = await w.coordinator.agent.get(`/api/v1/drills/${id}`).expect(200);
    expect(read.body).toMatchObject({
      status: 'ended',
      endedAt,
      report: {
        tasksPosted: 3,
        claimsPerCommune: [expect.objectContaining({ communeId: w.helper2.id, n: 1 })],
        doneTotal: 0,
        // Due within the planned time, none done: all overdue when it ran out.
        overdueAtEnd: 3,
      },
    });
    const [left] = await db.select({ n: count() }).from(tasks).where(eq(tasks.drillId, id));
    expect(left?.n).toBe(0);
    expect((await w.coordinator.agent.get('/api/v1/drills').expect(200)).body.running).toBeNull();
    // Ended once: the coordinator's late end is refused as for any ended drill.
    expect((await w.coordinator.agent.post(`/api/v1/drills/${id}/end`).send({})).status).toBe(409);
  });
});
