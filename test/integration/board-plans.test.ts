import crypto from 'node:crypto';
import type { TaskStatus } from '../../shared/schemas';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../server/db/client';
import { taskSearch, tasks } from '../../server/db/schema';
import { taskCountsQuery, taskListQuery, type TaskFilter } from '../../server/resources/tasks/tasks-repo';
import { generateTaskCode, taskCodeKey } from '../../shared/task-code';
import { taskSearchText } from '../../shared/task-search';
import { makeCommune, makeRegion } from '../factories';
import { drivers } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

const REGIONS = 8;
const PER_REGION = 1000;
const words = ['certificat', 'composition', 'ménage', 'urbanisme', 'permis', 'attestation', 'liège', 'seraing'];
const random = (n: number) => crypto.randomInt(n);

/** The planner's plan for a statement the repository builds, as text. */
async function planOf(db: Executor, query: { getSQL(): SQL }): Promise<string> {
  const result: unknown = await db.execute(sql`explain ${query.getSQL()}`);
  return (result as { rows: Record<string, string>[] }).rows.map((r) => Object.values(r).join('')).join('\n');
}

/**
 * The board's statements on a table of a realistic shape (eight regions of a thousand tasks, most of
 * them open, statistics fresh): the plans must use the indexes made for them, not read the table.
 */
describe.each(drivers)('the board plans on %s', (driver) => {
  const t = useTestApp(driver);
  let regionId: string;
  let rare: string;

  beforeAll(async () => {
    const db = t.app.running.database.db;
    const now = Date.now();
    const codes = new Set<string>();
    for (let r = 0; r < REGIONS; r++) {
      const region = await makeRegion(t.app);
      const commune = await makeCommune(t.app, region.id);
      if (r === 0) regionId = region.id;
      const rows = Array.from({ length: PER_REGION }, (_, i) => {
        let code = generateTaskCode(commune.taskCodePrefix, random);
        while (codes.has(taskCodeKey(code))) code = generateTaskCode(commune.taskCodePrefix, random);
        codes.add(taskCodeKey(code));
        const title = `${words[random(words.length)] ?? ''} ${crypto.randomBytes(6).toString('hex')}`;
        const details = `${words[random(words.length)] ?? ''} ${crypto.randomBytes(8).toString('hex')}`;
        const status: TaskStatus = i % 10 === 0 ? 'done' : i % 10 === 1 ? 'claimed' : 'open';
        return {
          requestingCommuneId: commune.id,
          regionId: region.id,
          type: 'certificat_residence',
          title,
          details,
          priority: (['urgent', 'high', 'normal', 'low'] as const)[i % 4] ?? 'normal',
          dueAt: new Date(now + random(30 * 24) * 3_600_000),
          deliveryMode: 'pickup_helper' as const,
          status,
          code,
        };
      });
      if (r === 0) rare = (rows[502]?.title ?? '').split(' ')[1] ?? '';
      const posted = await db.insert(tasks).values(rows).returning();
      await db.insert(taskSearch).values(
        posted.map((task) => ({
          taskId: task.id,
          searchText: taskSearchText(task, { fr: 'Certificat de résidence', en: 'Residence certificate' }),
        })),
      );
    }
    await db.execute(sql`analyze tasks`);
    await db.execute(sql`analyze task_search`);
    // Eight thousand rows through the ORM, on a machine shared with other test runs.
  }, 240_000);

  const filter = (): TaskFilter => ({ regionId, world: null, statuses: ['open'], now: new Date() });

  it('reads the first page of a column from its index, in each order', async () => {
    const db = t.app.running.database.db;
    const expected = {
      due: 'tasks_board_due_idx',
      priority: 'tasks_board_priority_idx',
      created: 'tasks_board_created_idx',
    };
    for (const [sort, index] of Object.entries(expected)) {
      const plan = await planOf(db, taskListQuery(db, { ...filter(), sort: sort as 'due', limit: 101 }));
      expect({ sort, usesIndex: plan.includes(index), seqScan: plan.includes('Seq Scan'), plan }).toMatchObject({
        sort,
        usesIndex: true,
        seqScan: false,
      });
    }
  });

  it('reads a page further on from the same index, from the cursor on', async () => {
    const db = t.app.running.database.db;
    const after = {
      sort: 'due' as const,
      at: new Date().toISOString().replace('Z', '000Z'),
      rank: null,
      id: crypto.randomUUID(),
    };
    const plan = await planOf(db, taskListQuery(db, { ...filter(), sort: 'due', after, limit: 101 }));
    expect({ plan, ok: plan.includes('tasks_board_due_idx') && !plan.includes('Seq Scan') }).toMatchObject({
      ok: true,
    });
  });

  it('searches through the trigram index', async () => {
    const db = t.app.running.database.db;
    expect(rare.length).toBe(12);
    const plan = await planOf(db, taskListQuery(db, { ...filter(), needle: rare, sort: 'due', limit: 101 }));
    expect({ plan, ok: plan.includes('task_search_idx') && !plan.includes('Seq Scan') }).toMatchObject({ ok: true });
    const rows = await taskListQuery(db, { ...filter(), needle: rare, sort: 'due', limit: 101 });
    expect(rows.map((r) => r.title.split(' ')[1])).toEqual([rare]);
  });

  it("counts a region's tasks without reading the whole table", async () => {
    const db = t.app.running.database.db;
    const { statuses: _all, ...counted } = filter();
    const plan = await planOf(db, taskCountsQuery(db, counted));
    expect({ plan, seqScan: plan.includes('Seq Scan') }).toMatchObject({ seqScan: false });
    const [counts] = await taskCountsQuery(db, counted);
    expect(counts).toMatchObject({ open: 800, claimed: 100, done: 100 });
  });
});
