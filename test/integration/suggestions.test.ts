import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { tasks } from '../../server/db/schema';
import { insertCommune } from '../../server/resources/communes/communes-repo';
import { suggestionsQuery } from '../../server/resources/suggestions/suggestions-repo';
import { isClaimableBy } from '../../server/resources/tasks/task-rules';
import { reportDay, type Suggestion, type SuggestionList } from '../../shared/schemas';
import { makeRegion, makeUser, postTask, type TestUser } from '../factories';
import { drivers, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const HOUR_MS = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

/**
 * A region of its own: the helping commune H (its clerk and manager) at 50.0 N 5.0 E, a near commune
 * N (about 5.6 km north) and a far one F (about 55.6 km north) that post tasks, and another helper O.
 */
async function buildRegion(app: TestApp) {
  const region = await makeRegion(app);
  const commune = async (name: string, latitude: number) => {
    const row = await insertCommune(app.running.database.db, {
      name: `${name} ${crypto.randomBytes(3).toString('hex')}`,
      code: String(10000 + crypto.randomInt(89999)),
      regionId: region.id,
      latitude,
      longitude: 5.0,
    });
    if (!row) throw new Error('commune not created');
    return row;
  };
  const [h, n, f, o] = [
    await commune('Helper', 50.0),
    await commune('Near', 50.05),
    await commune('Far', 50.5),
    await commune('Other', 50.0),
  ];
  const [clerk, hManager, nManager, fManager, oClerk] = await Promise.all([
    makeUser(app, 'clerk', { communeId: h.id }),
    makeUser(app, 'manager', { communeId: h.id }),
    makeUser(app, 'manager', { communeId: n.id }),
    makeUser(app, 'manager', { communeId: f.id }),
    makeUser(app, 'clerk', { communeId: o.id }),
  ]);
  return { region, h, n, f, o, clerk, hManager, nManager, fManager, oClerk };
}

async function suggested(user: TestUser, limit = 100): Promise<SuggestionList> {
  return (await user.agent.get(`/api/v1/tasks/suggested?limit=${limit}`).expect(200)).body as SuggestionList;
}
const rank = (list: SuggestionList, id: string) => list.items.findIndex((s) => s.task.id === id);
const reason = (s: Suggestion | undefined, kind: string) => s?.reasons.find((r) => r.kind === kind);

describe.each(drivers)('suggested tasks on %s', (driver) => {
  const t = useWorld(driver);

  it('refuses anonymous callers, a bad limit, and anyone but a commune clerk or manager', async () => {
    const anonymous = await t.app.anonymous().get('/api/v1/tasks/suggested').expect(401);
    expect(anonymous.body.detail).toBe('Please sign in first.');
    const bad = await t.w.clerk.agent.get('/api/v1/tasks/suggested?limit=101').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'limit', message: 'must be a whole number from 1 to 100' });
    await t.w.coordinator.agent.get('/api/v1/tasks/suggested').expect(403);
    await t.w.dpo.agent.get('/api/v1/tasks/suggested').expect(403);
    await t.w.admin.agent.get('/api/v1/tasks/suggested').expect(403);
  });

  it("suggests only the region's open tasks the commune may claim, as the claim's rule says", async () => {
    const own = await postTask(t.w.manager);
    const other = await postTask(t.w.manager);
    const claimed = await postTask(t.w.manager);
    await t.w.clerk2.agent.post(`/api/v1/tasks/${claimed.id}/claim`).expect(200);
    const foreign = await postTask(t.w.foreignManager);
    // The stricken commune's clerk: its own tasks are not for it.
    const strickenList = await suggested(t.w.strickenClerk);
    expect(rank(strickenList, own.id)).toBe(-1);
    const list = await suggested(t.w.clerk);
    expect(rank(list, other.id)).toBeGreaterThanOrEqual(0);
    expect(rank(list, claimed.id)).toBe(-1);
    expect(rank(list, foreign.id)).toBe(-1);
    // Exactly the open tasks isClaimableBy allows, every one of them (the world holds fewer than 100).
    const rows = await t.app.running.database.db.select().from(tasks);
    const claimant = { regionId: t.w.region.id, communeId: t.w.helper.id };
    const eligible = rows.filter((r) => isClaimableBy(r, claimant)).map((r) => r.id);
    expect(list.items.map((s) => s.task.id).sort()).toEqual(eligible.sort());
    // No citizen data in a suggestion.
    expect(JSON.stringify(list)).not.toContain('citizen"');
  });

  describe('order and reasons', () => {
    it('puts the nearer, the sooner due, the more urgent and the offered task first, and says why', async () => {
      const r = await buildRegion(t.app);
      const far = inHours(24 * 30);
      const near = await postTask(r.nManager, { dueAt: far });
      const distant = await postTask(r.fManager, { dueAt: far });
      const soon = await postTask(r.nManager, { dueAt: inHours(2) });
      const late = await postTask(r.nManager, { dueAt: inHours(40) });
      const urgent = await postTask(r.nManager, { dueAt: far, priority: 'urgent' });
      const low = await postTask(r.nManager, { dueAt: far, priority: 'low' });
      const plain = await postTask(r.nManager, { dueAt: far, type: 'rdv_permis_conduire', priority: 'low' });
      const offered = await postTask(r.nManager, { dueAt: far, type: 'rdv_passeport', priority: 'low' });

      let list = await suggested(r.clerk);
      expect(rank(list, near.id)).toBeLessThan(rank(list, distant.id));
      expect(rank(list, soon.id)).toBeLessThan(rank(list, late.id));
      expect(rank(list, urgent.id)).toBeLessThan(rank(list, low.id));
      const nearOne = list.items[rank(list, near.id)];
      expect(reason(nearOne, 'distance')?.value).toEqual({ km: 5.6 });
      expect(reason(list.items[rank(list, distant.id)], 'distance')?.value).toEqual({ km: 55.6 });
      expect(reason(list.items[rank(list, soon.id)], 'due')?.value).toMatchObject({ overdue: false });
      expect(reason(list.items[rank(list, urgent.id)], 'urgency')).toEqual({
        kind: 'urgency',
        value: { priority: 'urgent' },
        points: 40,
      });
      expect(reason(nearOne, 'fair_share')?.value).toEqual({ share: 0, fairPart: 0.25, factor: 1 });
      expect(reason(nearOne, 'offer')).toBeUndefined();
      // Scores are in order.
      const scores = list.items.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));

      // The passport task ranks after the driving licence one by id or due only; an offer puts it ahead.
      const offer = await r.hManager.agent
        .post('/api/v1/capacity-offers')
        .send({ taskTypes: ['rdv_passeport'], perDay: 3, from: reportDay(new Date()), to: reportDay(new Date()) })
        .expect(201);
      list = await suggested(r.clerk);
      expect(rank(list, offered.id)).toBeLessThan(rank(list, plain.id));
      expect(reason(list.items[rank(list, offered.id)], 'offer')).toEqual({
        kind: 'offer',
        value: { offerId: offer.body.id, perDay: 3, usedToday: 0 },
        points: 30,
      });
      // Full for today, the offer earns nothing more.
      await r.hManager.agent.patch(`/api/v1/capacity-offers/${offer.body.id}`).send({ perDay: 1 }).expect(200);
      const another = await postTask(r.fManager, { dueAt: far, type: 'rdv_passeport', priority: 'low' });
      await r.clerk.agent.post(`/api/v1/tasks/${another.id}/claim`).expect(200);
      list = await suggested(r.clerk);
      expect(reason(list.items[rank(list, offered.id)], 'offer')).toMatchObject({
        value: { perDay: 1, usedToday: 1 },
        points: 0,
      });
    });

    it('keeps a commune doing more than its fair share to its neighbours, and sends one doing less farther', async () => {
      const r = await buildRegion(t.app);
      const far = inHours(24 * 30);
      const neighbours = await postTask(r.nManager, { dueAt: far, priority: 'low' });
      const farAway = await postTask(r.fManager, { dueAt: far, priority: 'urgent' });
      const fillers = await Promise.all([1, 2, 3].map(() => postTask(r.nManager, { dueAt: inHours(24 * 60) })));
      const [first, second, third] = fillers.map((f) => f.id);
      await r.oClerk.agent.post(`/api/v1/tasks/${first}/claim`).expect(200);

      let list = await suggested(r.clerk);
      expect(list.fairShare).toEqual({ share: 0, fairPart: 0.25, held: 0, claimed: 1 });
      expect(rank(list, farAway.id)).toBeLessThan(rank(list, neighbours.id));

      await r.clerk.agent.post(`/api/v1/tasks/${second}/claim`).expect(200);
      await r.clerk.agent.post(`/api/v1/tasks/${third}/claim`).expect(200);
      list = await suggested(r.clerk);
      expect(list.fairShare).toEqual({ share: 0.667, fairPart: 0.25, held: 2, claimed: 3 });
      expect(rank(list, neighbours.id)).toBeLessThan(rank(list, farAway.id));
      expect(reason(list.items[rank(list, farAway.id)], 'fair_share')).toMatchObject({
        value: { share: 0.667, fairPart: 0.25, factor: 2 },
        points: -27.8,
      });
    });
  });

  it('reads the open tasks of a region with thousands of them through an index', async () => {
    const r = await buildRegion(t.app);
    const db = t.app.running.database.db;
    const insertMany = (regionId: string, communeId: string, count: number, status: string) =>
      db.execute(sql`insert into tasks (requesting_commune_id, region_id, type, title, priority, due_at, delivery_mode, status, code)
        select ${communeId}::uuid, ${regionId}::uuid, 'rdv_passeport', 'Masse ' || i, 'normal', now() + (i || ' minutes')::interval,
          'pickup_helper', ${status}, 'ZZZ-' || upper(substr(md5(${regionId} || i::text || ${status}), 1, 12))
        from generate_series(1, ${count}::int) as i`);
    await insertMany(r.region.id, r.n.id, 3000, 'open');
    await insertMany(t.w.region.id, t.w.stricken.id, 20000, 'done');
    await db.execute(sql`analyze tasks`);
    const query = suggestionsQuery(db, {
      regionId: r.region.id,
      communeId: r.h.id,
      now: new Date(),
      today: reportDay(new Date()),
      limit: 20,
    });
    const plan: unknown = await db.execute(sql`explain ${query}`);
    const text = (plan as { rows: Record<string, string>[] }).rows
      .map((row) => Object.values(row).join(' '))
      .join('\n');
    const tasksScan = text.split('\n').filter((line) => /\bon tasks\b/.test(line));
    expect(tasksScan.length).toBeGreaterThan(0);
    expect(tasksScan.every((line) => /Index|Bitmap Heap/.test(line))).toBe(true);
    expect(text).toMatch(/Index (Only )?Scan using tasks_\w+ on tasks\b|Bitmap Index Scan on tasks_\w+/);
    const list = await suggested(r.clerk, 100);
    expect(list.items).toHaveLength(100);
  });
});
