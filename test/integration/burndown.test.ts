import { makeWorld, type World } from '../factories';
import { ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { story, type Step } from '../helpers/task-story';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

const NOW = '2026-03-12T12:30:00.000Z';

const create = (at: string): Step => ({ at, action: 'create', to: 'open' });
const claim = (at: string, holder: string): Step => ({ at, action: 'claim', to: 'claimed', holder });
const start = (at: string): Step => ({ at, action: 'start', to: 'in_progress' });
const complete = (at: string): Step => ({ at, action: 'complete', to: 'done' });
const cancel = (at: string): Step => ({ at, action: 'cancel', to: 'cancelled' });
const hour = (start: string, end: string, posted: number, done: number, cancelled: number, backlog: number) => ({
  start: `2026-03-12T${start}:00.000Z`,
  end: `2026-03-12T${end}:00.000Z`,
  posted,
  done,
  cancelled,
  backlog,
});

describe.each(drivers)('a commune’s burn-down on %s', (driver) => {
  let app: TestApp;
  let w: World;
  const clock = new ManualClock(Date.parse(NOW));

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
    const S = { regionId: w.region.id, communeId: w.stricken.id, dueAt: '2026-03-20T12:00:00Z' };
    const h = w.helper.id;
    // The stricken commune, 6 hours from 07:00 to now (12:30); rates from 2026-03-11T12:30.
    // A: posted before both windows, still open.
    await story(app, S, [create('2026-03-11T10:00:00Z')]);
    // B: posted in the rates' window, done at 08:15.
    await story(app, S, [
      create('2026-03-11T13:00:00Z'),
      claim('2026-03-11T14:00:00Z', h),
      start('2026-03-12T07:00:00Z'),
      complete('2026-03-12T08:15:00Z'),
    ]);
    // K: cancelled at 09:10; its citizen data erased at 11:00 moved its updated_at, not its cancellation.
    await story(app, { ...S, updatedAt: '2026-03-12T11:00:00Z' }, [
      create('2026-03-11T14:00:00Z'),
      cancel('2026-03-12T09:10:00Z'),
    ]);
    // C: posted at 07:10, claimed, released, cancelled at 09:40.
    await story(app, S, [
      create('2026-03-12T07:10:00Z'),
      claim('2026-03-12T07:20:00Z', h),
      { at: '2026-03-12T07:30:00Z', action: 'release', to: 'open', holder: null },
      cancel('2026-03-12T09:40:00Z'),
    ]);
    // D: posted at 07:50, claimed and started: in the backlog still.
    await story(app, S, [
      create('2026-03-12T07:50:00Z'),
      claim('2026-03-12T08:00:00Z', h),
      start('2026-03-12T08:30:00Z'),
    ]);
    // J: posted at 08:30, done only after now (a clock behind the database's): in the backlog now.
    await story(app, S, [
      create('2026-03-12T08:30:00Z'),
      claim('2026-03-12T09:00:00Z', h),
      complete('2026-03-12T12:45:00Z'),
    ]);
    // E: posted at 10:05, done at 11:59:59.
    await story(app, S, [
      create('2026-03-12T10:05:00Z'),
      claim('2026-03-12T10:30:00Z', h),
      complete('2026-03-12T11:59:59Z'),
    ]);
    // F: posted at 12:10, open.
    await story(app, S, [create('2026-03-12T12:10:00Z')]);
    // I: posted after now: not counted.
    await story(app, S, [create('2026-03-12T12:40:00Z')]);
    // G: done two days before; H: cancelled the evening before the hours shown (in the rates' window).
    await story(app, S, [
      create('2026-03-10T09:00:00Z'),
      claim('2026-03-10T10:00:00Z', h),
      complete('2026-03-10T12:00:00Z'),
    ]);
    await story(app, S, [create('2026-03-11T09:00:00Z'), cancel('2026-03-11T20:00:00Z')]);
    // Another commune's task, and another region's: not the stricken commune's backlog.
    await story(app, { ...S, communeId: w.helper2.id }, [create('2026-03-12T11:00:00Z')]);
    await story(app, { ...S, regionId: w.otherRegion.id, communeId: w.faraway.id }, [create('2026-03-12T11:00:00Z')]);

    // helper2, going down: 2 open from before, 4 done and 1 posted in the last 24 hours.
    const P = { ...S, communeId: w.helper2.id };
    await story(app, P, [create('2026-03-11T00:00:00Z')]);
    await story(app, P, [create('2026-03-11T01:00:00Z')]);
    for (const [posted, done] of [
      ['02', '01'],
      ['03', '02'],
      ['04', '03'],
      ['05', '04'],
    ] as const)
      await story(app, P, [
        create(`2026-03-11T${posted}:00:00Z`),
        claim(`2026-03-11T${posted}:30:00Z`, h),
        complete(`2026-03-12T${done}:00:00Z`),
      ]);
  }, 180_000); // Eleven scrypt sign-ins and an embedded database started cold: minutes on a loaded two-core machine.
  afterAll(async () => {
    await app.stop();
  });
  afterEach(() => clock.set(Date.parse(NOW)));

  const burndown = (hours?: string, communeId = w.stricken.id) =>
    w.coordinator.agent.get(`/api/v1/communes/${communeId}/burndown${hours === undefined ? '' : `?hours=${hours}`}`);

  it('asks to sign in first', async () => {
    const res = await app.anonymous().get(`/api/v1/communes/${w.stricken.id}/burndown`);
    expect(res.status).toBe(401);
  });

  it('refuses hours that are not a whole number from 1 to 720, and writes nothing', async () => {
    const before = await writeCounts(app);
    const message = 'must be a whole number from 1 to 720';
    for (const bad of ['0', '721', 'abc', '1.5', '-3', ''])
      expect({ bad, res: (await burndown(bad)).body }).toEqual({
        bad,
        res: expect.objectContaining({
          status: 400,
          errors: [expect.objectContaining({ field: 'hours', message })],
        }),
      });
    const extra = await w.coordinator.agent.get(`/api/v1/communes/${w.stricken.id}/burndown?days=3`);
    expect(extra.status).toBe(400);
    expect(extra.headers['content-type']).toMatch(/application\/problem\+json/);
    const badId = await w.coordinator.agent.get('/api/v1/communes/not-an-id/burndown');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([
      expect.objectContaining({ field: 'commune id', message: 'must be a valid identifier (UUID)' }),
    ]);
    expect(await writeCounts(app)).toEqual(before);
  });

  it('answers 404 for another region’s commune, an unknown one, and to those who follow no region', async () => {
    for (const user of [w.foreignCoordinator, w.foreignManager, w.dpo, w.admin])
      expect((await user.agent.get(`/api/v1/communes/${w.stricken.id}/burndown`)).status).toBe(404);
    expect((await burndown(undefined, w.faraway.id)).status).toBe(404);
    expect((await burndown(undefined, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('counts the backlog at each hour’s end from the tasks’ postings, completions and cancellations', async () => {
    const res = await burndown('6').expect(200);
    expect(res.body.communeId).toBe(w.stricken.id);
    expect(res.body.asOf).toBe(NOW);
    // At 07:00 the backlog held A, B and K; the current hour ends now.
    expect(res.body.hours).toEqual([
      hour('07:00', '08:00', 2, 0, 0, 5),
      hour('08:00', '09:00', 1, 1, 0, 5),
      hour('09:00', '10:00', 0, 0, 2, 3),
      hour('10:00', '11:00', 1, 0, 0, 4),
      hour('11:00', '12:00', 0, 1, 0, 3),
      hour('12:00', '12:30', 1, 0, 0, 4),
    ]);
    expect(res.body.backlog).toBe(4);
  });

  it('takes the rates from the last 24 hours, and is not converging when more is posted than finished', async () => {
    const res = await burndown('6').expect(200);
    // Posted B, K, C, D, J, E, F; done B, E; cancelled H, K, C.
    expect(res.body.rates).toEqual({
      windowHours: 24,
      postedPerHour: 7 / 24,
      donePerHour: 2 / 24,
      cancelledPerHour: 3 / 24,
      netPerHour: -2 / 24,
    });
    expect(res.body).toMatchObject({ converging: false, eta: null });
  });

  it('gives the date the backlog reaches zero at the net rate when it goes down', async () => {
    // helper2: 4 done and 1 posted in 24 hours, 3 left: 3 / (3 / 24) = 24 hours from now.
    const res = await w.strickenClerk.agent.get(`/api/v1/communes/${w.helper2.id}/burndown?hours=30`).expect(200);
    expect(res.body.rates).toMatchObject({ postedPerHour: 1 / 24, donePerHour: 4 / 24, netPerHour: 3 / 24 });
    expect(res.body).toMatchObject({ backlog: 3, converging: true, eta: '2026-03-13T12:30:00.000Z' });
    expect(res.body.hours).toHaveLength(30);
    // Six in the backlog from 2026-03-11T07:00; one done each hour from 01:00 to 04:00 the day after; one posted at 11:00.
    const backlogs = (res.body.hours as { backlog: number }[]).map((h) => h.backlog);
    expect(backlogs).toEqual([...Array<number>(18).fill(6), 5, 4, 3, 2, ...Array<number>(6).fill(2), 3, 3]);
  });

  it('is at zero now for a commune with no backlog, over 72 hours by default', async () => {
    const res = await w.clerk.agent.get(`/api/v1/communes/${w.helper.id}/burndown`).expect(200);
    expect(res.body.hours).toHaveLength(72);
    expect(res.body.hours[0].start).toBe('2026-03-09T13:00:00.000Z');
    expect(res.body).toMatchObject({ backlog: 0, converging: true, eta: NOW });
  });

  it('ends the last hour at the hour when now is on it', async () => {
    clock.set(Date.parse('2026-03-12T12:00:00Z'));
    const res = await burndown('2').expect(200);
    expect(res.body.hours).toEqual([hour('10:00', '11:00', 1, 0, 0, 4), hour('11:00', '12:00', 0, 1, 0, 3)]);
  });
});
