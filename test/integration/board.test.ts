import type { Task, TaskCounts } from '../../shared/schemas';
import { makeCommune, makeUser, makeWorld, postTask, taskInput, type TestUser, type World } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const HOUR = 3_600_000;
const rank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

/** Every task a query selects, read page by page as the board does, checking that no page repeats a task. */
async function readAll(user: TestUser, query: string, limit = 7): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const url = `/api/v1/tasks?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await user.agent.get(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body as { items: Task[]; nextCursor: string | null };
    all.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('too many pages');
}

const byDue = (a: Task, b: Task) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
const orders: Record<'due' | 'priority' | 'created', (a: Task, b: Task) => number> = {
  due: byDue,
  priority: (a, b) => rank[a.priority] - rank[b.priority] || byDue(a, b),
  // Newest first; a bulk post shares one creation time, so the id decides among its tasks.
  created: (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
};

function bruteCounts(tasks: Task[]): TaskCounts {
  const counts: TaskCounts = {
    open: 0,
    claimed: 0,
    in_progress: 0,
    waiting_info: 0,
    done: 0,
    cancelled: 0,
    overdue: 0,
  };
  for (const task of tasks) {
    counts[task.status]++;
    if (task.overdue) counts.overdue++;
  }
  return counts;
}

describe.each(drivers)('the board on %s', (driver) => {
  const t = useWorld(driver);
  /** A commune of the world's region of its own, so that its filter selects only this test's tasks. */
  let board: { communeId: string; manager: TestUser; ids: string[] };

  beforeAll(async () => {
    const commune = await makeCommune(t.app, t.w.region.id, 'Verlaine');
    const manager = await makeUser(t.app, 'manager', { communeId: commune.id });
    const soon = Date.now() + 2 * HOUR;
    const priorities = ['urgent', 'high', 'normal', 'low'] as const;
    // Groups of tasks sharing a due date, so that paging must break ties by id.
    const rows = Array.from({ length: 60 }, (_, i) =>
      taskInput({
        type: i % 3 === 0 ? 'composition_menage' : 'certificat_residence',
        title: i % 10 === 0 ? `Attestation pour Liège n°${i}` : `Demande n°${i}`,
        details: i % 15 === 0 ? 'Remettre à l’ÉCOLE communale' : '',
        priority: priorities[i % 4],
        dueAt: new Date(soon + Math.floor(i / 6) * HOUR).toISOString(),
      }),
    );
    // Two posts: two creation times, each shared by its tasks.
    const first = await manager.agent.post('/api/v1/tasks/bulk').send(rows.slice(0, 30)).expect(201);
    const second = await manager.agent.post('/api/v1/tasks/bulk').send(rows.slice(30)).expect(201);
    const ids = [...first.body.items, ...second.body.items].map((i: { task: Task }) => i.task.id);
    // A few in each state, and one past due.
    for (const id of ids.slice(0, 6)) await t.w.clerk.agent.post(`/api/v1/tasks/${id}/claim`).expect(200);
    for (const id of ids.slice(0, 3)) await t.w.clerk.agent.post(`/api/v1/tasks/${id}/start`).send({ version: 2 });
    await t.w.clerk.agent.post(`/api/v1/tasks/${ids[0]}/complete`).send({ version: 3 }).expect(200);
    await manager.agent.post(`/api/v1/tasks/${ids[10]}/cancel`).send({ version: 1 }).expect(200);
    await manager.agent
      .patch(`/api/v1/tasks/${ids[11]}`)
      .send({ version: 1, dueAt: new Date(Date.now() - HOUR).toISOString() })
      .expect(200);
    board = { communeId: commune.id, manager, ids };
  });

  describe('GET /tasks', () => {
    it('answers 401 without a session', async () => {
      await t.app.anonymous().get('/api/v1/tasks?q=liege').expect(401);
      await t.app.anonymous().get('/api/v1/tasks/counts').expect(401);
    });

    it('answers 400 to a search too long, an unknown sort, a forged cursor or one of another order, and writes nothing', async () => {
      const before = await writeCounts(t.app);
      const long = await t.w.clerk.agent.get(`/api/v1/tasks?q=${'a'.repeat(201)}`);
      expect(long.status).toBe(400);
      expect(long.body.errors).toEqual([
        expect.objectContaining({ field: 'q', message: 'must be at most 200 characters' }),
      ]);
      const counts = await t.w.clerk.agent.get(`/api/v1/tasks/counts?q=${'a'.repeat(201)}`);
      expect(counts.status).toBe(400);
      const sort = await t.w.clerk.agent.get('/api/v1/tasks?sort=urgency');
      expect(sort.status).toBe(400);
      expect(sort.body.errors).toEqual([
        expect.objectContaining({ field: 'sort', message: 'must be due, priority or created' }),
      ]);
      const forged = Buffer.from(JSON.stringify(['due', '2026-01-01', null, 'x'])).toString('base64url');
      for (const cursor of ['not-a-cursor', forged, Buffer.from('{"a":1}').toString('base64url')]) {
        const res = await t.w.clerk.agent.get(`/api/v1/tasks?cursor=${cursor}`);
        expect({ cursor, status: res.status }).toEqual({ cursor, status: 400 });
        expect(res.body.errors[0]).toMatchObject({
          field: 'cursor',
          message: 'must be a nextCursor returned by a previous page',
        });
      }
      const page = await t.w.clerk.agent.get(`/api/v1/tasks?commune=${board.communeId}&limit=2`).expect(200);
      const mismatched = await t.w.clerk.agent.get(`/api/v1/tasks?sort=priority&cursor=${page.body.nextCursor}`);
      expect(mismatched.status).toBe(400);
      expect(mismatched.body.errors[0].message).toBe(
        'belongs to the due order, not priority: start again from the first page',
      );
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it.each(['due', 'priority', 'created'] as const)(
      'pages through the %s order without a duplicate or a gap, ties broken by id',
      async (sort) => {
        const all = await readAll(t.w.clerk, `commune=${board.communeId}&sort=${sort}`);
        expect(new Set(all.map((task) => task.id)).size).toBe(all.length);
        expect(all.map((task) => task.id).sort()).toEqual([...board.ids].sort());
        expect(all.map((task) => task.id)).toEqual([...all].sort(orders[sort]).map((task) => task.id));
        // One status at a time, as a board column reads it.
        const open = await readAll(t.w.clerk, `commune=${board.communeId}&sort=${sort}&status=open`, 5);
        expect(open.map((task) => task.id)).toEqual(
          all.filter((task) => task.status === 'open').map((task) => task.id),
        );
      },
    );

    it('searches without regard to case or accents, in title, details, type label and code', async () => {
      const all = await readAll(t.w.clerk, `commune=${board.communeId}`, 100);
      const ids = (tasks: Task[]) => tasks.map((task) => task.id).sort();
      const search = async (q: string, more = '') =>
        ids(await readAll(t.w.clerk, `commune=${board.communeId}&q=${encodeURIComponent(q)}${more}`, 100));
      const liege = all.filter((task) => task.title.includes('Liège'));
      expect(liege.length).toBe(6);
      expect(await search('liege')).toEqual(ids(liege));
      expect(await search('LIÈGE')).toEqual(ids(liege));
      expect(await search('ecole')).toEqual(ids(all.filter((task) => task.details.includes('ÉCOLE'))));
      // The type's label, in French and in English: the titles do not hold it.
      const certificates = all.filter((task) => task.type === 'certificat_residence');
      expect(await search('CERTIFICAT')).toEqual(ids(certificates));
      expect(await search('residence certificate')).toEqual(ids(certificates));
      expect(await search('ménage')).toEqual(ids(all.filter((task) => task.type === 'composition_menage')));
      const target = all[17] as Task;
      expect(await search(target.code)).toEqual([target.id]);
      expect(await search(target.code.replace('-', '').toLowerCase())).toEqual([target.id]);
      // With a sort and a status, the search still runs in the database, page by page.
      expect(await search('liege', '&sort=priority&status=open')).toEqual(
        ids(liege.filter((task) => task.status === 'open')),
      );
      expect(await search('%')).toEqual([]);
      expect(await search('nothing like this')).toEqual([]);
    });

    it('never shows another region, searched or counted', async () => {
      const foreign = await readAll(t.w.foreignClerk, `q=liege`, 100);
      expect(foreign.filter((task) => board.ids.includes(task.id))).toEqual([]);
      const target = await t.w.clerk.agent.get(`/api/v1/tasks/${board.ids[20]}`).expect(200);
      expect(await readAll(t.w.foreignClerk, `q=${target.body.code}`)).toEqual([]);
      const counts = await t.w.foreignClerk.agent.get(`/api/v1/tasks/counts?commune=${board.communeId}`).expect(200);
      expect(counts.body).toEqual({
        open: 0,
        claimed: 0,
        in_progress: 0,
        waiting_info: 0,
        done: 0,
        cancelled: 0,
        overdue: 0,
      });
    });
  });

  describe('GET /tasks/counts', () => {
    it('counts exactly what the list selects, under every filter', async () => {
      for (const filter of [
        '',
        '&q=liege',
        '&q=certificat',
        '&type=composition_menage',
        '&priority=urgent',
        '&overdue=true',
        `&claimedBy=${t.w.helper.id}`,
      ]) {
        const query = `commune=${board.communeId}${filter}`;
        const listed = await readAll(t.w.clerk, query, 100);
        const res = await t.w.clerk.agent.get(`/api/v1/tasks/counts?${query}`).expect(200);
        expect({ filter, counts: res.body }).toEqual({ filter, counts: bruteCounts(listed) });
      }
      const all = await t.w.coordinator.agent.get(`/api/v1/tasks/counts?commune=${board.communeId}`).expect(200);
      expect(all.body).toEqual({
        open: 53,
        claimed: 3,
        in_progress: 2,
        waiting_info: 0,
        done: 1,
        cancelled: 1,
        overdue: 1,
      });
    });

    it('counts the whole region without a commune filter, and refuses a status filter', async () => {
      const everything = await readAll(t.w.clerk, 'sort=created', 100);
      const res = await t.w.clerk.agent.get('/api/v1/tasks/counts').expect(200);
      expect(res.body).toEqual(bruteCounts(everything));
      const status = await t.w.clerk.agent.get('/api/v1/tasks/counts?status=open');
      expect(status.status).toBe(400);
      expect(status.body.errors[0]).toMatchObject({ field: 'status' });
    });

    it('answers 403 to the platform admin and the DPO, who see no board', async () => {
      await t.w.admin.agent.get('/api/v1/tasks/counts').expect(403);
      await t.w.dpo.agent.get('/api/v1/tasks/counts').expect(403);
    });

    it('follows a new task at once', async () => {
      const before = await t.w.clerk.agent.get(`/api/v1/tasks/counts?commune=${board.communeId}`).expect(200);
      const task = await postTask(board.manager);
      board.ids.push(task.id);
      const after = await t.w.clerk.agent.get(`/api/v1/tasks/counts?commune=${board.communeId}`).expect(200);
      expect((after.body as TaskCounts).open).toBe((before.body as TaskCounts).open + 1);
    });
  });
});

describe.each(drivers)('the counts of many boards at once on %s', (driver) => {
  const statements: string[] = [];
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp(driver, {}, { onQuery: (text) => statements.push(text) });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });
  const countQueries = () => statements.filter((text) => /count\(\*\) filter/.test(text)).length;
  const counts = (user: TestUser, query = '') =>
    user.agent.get(`/api/v1/tasks/counts${query}`).then((res) => {
      if (res.status !== 200) throw new Error(`counts: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as TaskCounts;
    });

  it('counts, in each answer, what was written before the request, and never shares an answer between filters', async () => {
    await postTask(w.manager);
    expect((await counts(w.clerk)).open).toBe(1);
    await postTask(w.manager);
    const [clerk, clerk2] = await Promise.all([counts(w.clerk), counts(w.clerk2)]);
    expect([clerk.open, clerk2.open]).toEqual([2, 2]);
    expect((await counts(w.clerk, '?priority=urgent')).open).toBe(0);
    expect((await counts(w.clerk, '?priority=normal')).open).toBe(2);
  });

  // Holding the count back needs a second connection: the PostgreSQL server, not PGlite's single one.
  if (driver === 'postgres') {
    it('answers a burst of identical count requests with one or two queries, all exact', async () => {
      const expected = (await counts(w.clerk)).open;
      const { Client } = await import('pg');
      const blocker = new Client({ connectionString: app.config.databaseUrl });
      await blocker.connect();
      try {
        // The first count waits on this lock; the requests that arrive meanwhile wait for the next one.
        await blocker.query('begin');
        await blocker.query('lock table tasks in access exclusive mode');
        const before = countQueries();
        const burst = Promise.all(Array.from({ length: 40 }, (_, i) => counts(i % 2 ? w.clerk : w.clerk2)));
        // Time for the 40 requests to reach the app (on a loaded machine too) while the first waits.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await blocker.query('commit');
        const answers = await burst;
        expect(new Set(answers.map((a) => a.open))).toEqual(new Set([expected]));
        // One query, then one for all that came while it waited (a straggler after the lock: one more).
        expect(countQueries() - before).toBeLessThanOrEqual(3);
      } finally {
        await blocker.end();
      }
    });
  }
});
