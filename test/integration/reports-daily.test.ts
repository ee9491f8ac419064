import crypto from 'node:crypto';
import { events, tasks } from '../../server/db/schema';
import { makeWorld, type World } from '../factories';
import { ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

type Status = 'open' | 'claimed' | 'in_progress' | 'done' | 'cancelled';

/** One change of a task's story: when, what, the status after it, and who holds it then. */
interface Step {
  at: string;
  action: 'create' | 'update' | 'claim' | 'start' | 'complete' | 'release' | 'cancel' | 'reassign';
  to: Status;
  holder?: string | null;
  dueAt?: string;
}

/**
 * Writes a task and its history as the app would have (the task row as it ends, one event per step
 * with the row's snapshot), at the times given: the daily report reads nothing else.
 */
async function story(app: TestApp, task: { regionId: string; communeId: string; dueAt: string }, steps: Step[]) {
  const db = app.running.database.db;
  let holder: string | null = null;
  let dueAt = task.dueAt;
  let status: Status | null = null;
  const snapshots = steps.map((s) => {
    if (s.holder !== undefined) holder = s.holder;
    if (s.dueAt) dueAt = s.dueAt;
    const from = status;
    status = s.to;
    return { step: s, from, snapshot: { status: s.to, claimed_by_commune_id: holder, due_at: dueAt } };
  });
  const first = steps[0];
  const last = steps[steps.length - 1];
  if (!first || !last) throw new Error('a story has steps');
  const [row] = await db
    .insert(tasks)
    .values({
      requestingCommuneId: task.communeId,
      regionId: task.regionId,
      type: 'certificat_residence',
      // A code as any unique value: the report does not read it.
      code: `RPT-${crypto.randomBytes(5).toString('hex')}`,
      title: 'Certificat',
      priority: 'normal',
      dueAt: new Date(dueAt),
      deliveryMode: 'pickup_helper',
      status: last.to,
      claimedByCommuneId: holder,
      createdAt: new Date(first.at),
      updatedAt: new Date(last.at),
      doneAt: last.to === 'done' ? new Date(last.at) : null,
    })
    .returning();
  if (!row) throw new Error('task not written');
  await db.insert(events).values(
    snapshots.map(({ step, from, snapshot }) => ({
      taskId: row.id,
      regionId: task.regionId,
      type: step.action === 'create' ? ('task:created' as const) : ('task:updated' as const),
      action: step.action,
      fromStatus: from,
      toStatus: step.to,
      // As the app writes it: the task's row after the change (to_jsonb), without the citizen data.
      snapshot: {
        ...snapshot,
        id: row.id,
        requesting_commune_id: task.communeId,
        region_id: task.regionId,
        created_at: first.at,
      },
      createdAt: new Date(step.at),
    })),
  );
  return row;
}

describe.each(drivers)('the daily report on %s', (driver) => {
  let app: TestApp;
  let w: World;
  // Two days after the reported day: 2026-03-10 in Brussels runs from 2026-03-09T23:00Z to 2026-03-10T23:00Z.
  const clock = new ManualClock(Date.parse('2026-03-12T12:00:00Z'));

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
    const S = { regionId: w.region.id, communeId: w.stricken.id };
    const H = { regionId: w.region.id, communeId: w.helper.id };
    const [h, h2, s] = [w.helper.id, w.helper2.id, w.stricken.id];
    // T1: posted, claimed after 30 min, done 120 min after posting, all on the day.
    await story(app, { ...S, dueAt: '2026-03-11T08:00:00Z' }, [
      { at: '2026-03-10T08:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-10T08:30:00Z', action: 'claim', to: 'claimed', holder: h },
      { at: '2026-03-10T09:00:00Z', action: 'start', to: 'in_progress' },
      { at: '2026-03-10T10:00:00Z', action: 'complete', to: 'done' },
    ]);
    // T2: posted at 23:30 the day before (Brussels), claimed at 01:30 on the day, late by its end.
    await story(app, { ...S, dueAt: '2026-03-10T12:00:00Z' }, [
      { at: '2026-03-09T22:30:00Z', action: 'create', to: 'open' },
      { at: '2026-03-10T00:30:00Z', action: 'claim', to: 'claimed', holder: h2 },
    ]);
    // T3: posted at 23:30 on the day (Brussels).
    await story(app, { ...S, dueAt: '2026-03-12T12:00:00Z' }, [
      { at: '2026-03-10T22:30:00Z', action: 'create', to: 'open' },
    ]);
    // T4: posted at 00:10 the day after (Brussels): not on the day at all.
    await story(app, { ...S, dueAt: '2026-03-09T12:00:00Z' }, [
      { at: '2026-03-10T23:10:00Z', action: 'create', to: 'open' },
    ]);
    // T5: late, then cancelled on the day: neither backlog nor overdue.
    await story(app, { ...S, dueAt: '2026-03-09T10:00:00Z' }, [
      { at: '2026-03-08T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-10T09:00:00Z', action: 'cancel', to: 'cancelled' },
    ]);
    // T6: claimed before, done the day after: still held and late at the day's end.
    await story(app, { ...S, dueAt: '2026-03-09T10:00:00Z' }, [
      { at: '2026-03-08T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-08T11:00:00Z', action: 'claim', to: 'claimed', holder: h },
      { at: '2026-03-11T08:00:00Z', action: 'start', to: 'in_progress' },
      { at: '2026-03-11T09:00:00Z', action: 'complete', to: 'done' },
    ]);
    // T7: posted by the helper on the day, due that evening, claimed by the stricken commune the day after.
    await story(app, { ...H, dueAt: '2026-03-10T20:00:00Z' }, [
      { at: '2026-03-10T12:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-11T08:00:00Z', action: 'claim', to: 'claimed', holder: s },
    ]);
    // T8: claimed by the helper (60 min), released, claimed by helper2 (120 min), done by it (180 min).
    await story(app, { ...S, dueAt: '2026-03-10T11:00:00Z' }, [
      { at: '2026-03-10T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-10T11:00:00Z', action: 'claim', to: 'claimed', holder: h },
      { at: '2026-03-10T11:30:00Z', action: 'release', to: 'open', holder: null },
      { at: '2026-03-10T12:00:00Z', action: 'claim', to: 'claimed', holder: h2 },
      { at: '2026-03-10T12:10:00Z', action: 'start', to: 'in_progress' },
      { at: '2026-03-10T13:00:00Z', action: 'complete', to: 'done' },
    ]);
    // T9: claimed by the helper after 20 min, reassigned to helper2 by the coordinator.
    await story(app, { ...S, dueAt: '2026-03-15T10:00:00Z' }, [
      { at: '2026-03-10T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-10T10:20:00Z', action: 'claim', to: 'claimed', holder: h },
      { at: '2026-03-10T11:00:00Z', action: 'reassign', to: 'claimed', holder: h2 },
    ]);
    // T10: late at the day's end; its due date was moved later the day after.
    await story(app, { ...S, dueAt: '2026-03-09T12:00:00Z' }, [
      { at: '2026-03-09T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-11T09:00:00Z', action: 'update', to: 'open', dueAt: '2026-03-20T12:00:00Z' },
    ]);
    // T11: done long before.
    await story(app, { ...S, dueAt: '2026-03-03T10:00:00Z' }, [
      { at: '2026-03-01T10:00:00Z', action: 'create', to: 'open' },
      { at: '2026-03-01T11:00:00Z', action: 'claim', to: 'claimed', holder: h },
      { at: '2026-03-02T10:00:00Z', action: 'start', to: 'in_progress' },
      { at: '2026-03-02T11:00:00Z', action: 'complete', to: 'done' },
    ]);
    // Another region's task on the day.
    await story(app, { regionId: w.otherRegion.id, communeId: w.faraway.id, dueAt: '2026-03-09T12:00:00Z' }, [
      { at: '2026-03-10T10:00:00Z', action: 'create', to: 'open' },
    ]);
  });
  afterAll(async () => {
    await app.stop();
  });

  const none = { medianMinutesToClaim: null, medianMinutesToDone: null };

  it('refuses a day that is not a date, or is still to come, and writes nothing', async () => {
    const before = await writeCounts(app);
    const bad = await w.coordinator.agent.get('/api/v1/reports/daily?date=10/03/2026');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'date', message: 'must be a date like 2026-03-10' }),
    ]);
    const future = await w.coordinator.agent.get('/api/v1/reports/daily?date=2026-03-13');
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([
      expect.objectContaining({
        field: 'date',
        message: 'must be today (2026-03-12) or a day before',
        code: 'too_large',
      }),
    ]);
    expect((await w.coordinator.agent.get('/api/v1/reports/daily?format=pdf')).status).toBe(400);
    expect(await writeCounts(app)).toEqual(before);
  });

  it("counts a day in Brussels time from the region's events: per commune and for the region", async () => {
    const res = await w.coordinator.agent.get('/api/v1/reports/daily?date=2026-03-10').expect(200);
    expect(res.body).toMatchObject({
      regionId: w.region.id,
      date: '2026-03-10',
      timeZone: 'Europe/Brussels',
      start: '2026-03-09T23:00:00.000Z',
      end: '2026-03-10T23:00:00.000Z',
      asOf: '2026-03-10T23:00:00.000Z',
    });
    const byCommune = new Map((res.body.communes as { communeId: string }[]).map((c) => [c.communeId, c]));
    expect(byCommune.size).toBe(3);
    expect(byCommune.get(w.stricken.id)).toEqual({
      communeId: w.stricken.id,
      communeName: w.stricken.name,
      posted: 4,
      claimed: 0,
      done: 0,
      overdue: 3,
      backlog: 5,
      medianMinutesToClaim: 60,
      medianMinutesToDone: 150,
    });
    expect(byCommune.get(w.helper.id)).toEqual({
      communeId: w.helper.id,
      communeName: w.helper.name,
      posted: 1,
      claimed: 3,
      done: 1,
      overdue: 1,
      backlog: 1,
      ...none,
    });
    expect(byCommune.get(w.helper2.id)).toEqual({
      communeId: w.helper2.id,
      communeName: w.helper2.name,
      posted: 0,
      claimed: 3,
      done: 1,
      overdue: 0,
      backlog: 0,
      ...none,
    });
    expect(res.body.totals).toEqual({
      posted: 5,
      claimed: 6,
      done: 2,
      overdue: 4,
      backlog: 6,
      medianMinutesToClaim: 60,
      medianMinutesToDone: 150,
    });
  });

  it('stands at the present for today, and reports each region to its own coordinator', async () => {
    const today = await w.coordinator.agent.get('/api/v1/reports/daily').expect(200);
    expect(today.body).toMatchObject({ date: '2026-03-12', asOf: '2026-03-12T12:00:00.000Z' });
    expect(today.body.totals).toEqual({
      posted: 0,
      claimed: 0,
      done: 0,
      // T2, T3, T4 (late), T9, T10 of the stricken commune; T7, held by it now.
      backlog: 6,
      overdue: 3,
      ...none,
    });
    const foreign = await w.foreignCoordinator.agent.get('/api/v1/reports/daily?date=2026-03-10').expect(200);
    expect(foreign.body.communes).toEqual([
      expect.objectContaining({ communeId: w.faraway.id, posted: 1, backlog: 1, overdue: 1 }),
    ]);
    expect(foreign.body.totals).toMatchObject({ posted: 1, claimed: 0, done: 0, backlog: 1, overdue: 1 });
  });

  it('answers CSV, with format=csv or Accept: text/csv, a row per commune and the total', async () => {
    for (const res of [
      await w.coordinator.agent.get('/api/v1/reports/daily?date=2026-03-10&format=csv'),
      await w.coordinator.agent.get('/api/v1/reports/daily?date=2026-03-10').set('Accept', 'text/csv'),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(lines[0]).toBe(
        'date,commune,posted,claimed,done,overdue,backlog,median_minutes_to_claim,median_minutes_to_done',
      );
      expect(lines).toContain(`2026-03-10,${w.stricken.name},4,0,0,3,5,60,150`);
      expect(lines).toContain(`2026-03-10,${w.helper2.name},0,3,1,0,0,,`);
      expect(lines[lines.length - 1]).toBe('2026-03-10,TOTAL,5,6,2,4,6,60,150');
      expect(lines).toHaveLength(5);
    }
  });
});
