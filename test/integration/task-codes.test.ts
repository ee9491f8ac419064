import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Executor } from '../../server/db/client';
import { crockfordAlphabet, parseTaskCode, taskCodeKey } from '../../shared/task-code';
import { taskSearchText } from '../../shared/task-search';
import { makeCommune, postTask, taskInput } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { createServerDatabase, drivers, startTestApp, type Driver } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

/** The rows of a statement, on either driver (both answer `{ rows }`). */
async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** A code whose check character is wrong: the same code with its last character moved on by one. */
function withWrongCheck(code: string): string {
  const last = code.charAt(code.length - 1);
  return `${code.slice(0, -1)}${crockfordAlphabet.charAt((crockfordAlphabet.indexOf(last) + 1) % 32)}`;
}

describe.each(drivers)('task codes on %s', (driver) => {
  const t = useWorld(driver);

  it('gives every task, posted alone or in bulk, a valid code with its commune prefix', async () => {
    const one = await postTask(t.w.manager);
    const bulk = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .send(Array.from({ length: 50 }, () => taskInput()))
      .expect(201);
    const codes = [one.code, ...(bulk.body.items as { task: { code: string } }[]).map((i) => i.task.code)];
    for (const code of codes) {
      expect(code.startsWith(`${t.w.stricken.taskCodePrefix}-`)).toBe(true);
      expect(parseTaskCode(code)).toEqual({ ok: true, code });
    }
    expect(new Set(codes.map(taskCodeKey)).size).toBe(codes.length);
    const page = await t.w.clerk.agent.get(`/api/v1/tasks?q=${encodeURIComponent(one.code)}`).expect(200);
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual([one.id]);
  });

  it('gives communes distinct prefixes derived from their names', async () => {
    const a = await makeCommune(t.app, t.w.region.id, 'Liège');
    const b = await makeCommune(t.app, t.w.region.id, 'Lierneux');
    const c = await makeCommune(t.app, t.w.region.id, 'Llenas');
    expect([a.taskCodePrefix, b.taskCodePrefix]).toEqual(['LIE', 'LIR']);
    // LLE would read as LIE: Llenas takes the next free letters of its name.
    expect(c.taskCodePrefix).toBe('LLN');
  });

  describe('GET /tasks/by-code/:code', () => {
    it('answers 401 without a session', async () => {
      const task = await postTask(t.w.manager);
      await t.app.anonymous().get(`/api/v1/tasks/by-code/${task.code}`).expect(401);
    });

    it('answers 400 to a malformed code or a wrong check character, with the same message, and writes nothing', async () => {
      const task = await postTask(t.w.manager);
      const before = await writeCounts(t.app);
      const swapped = `${task.code.slice(0, 5)}${task.code.charAt(6)}${task.code.charAt(5)}${task.code.slice(7)}`;
      const probes = ['LIE-7K3Q', 'nonsense', 'LI3-7K3Q9', withWrongCheck(task.code)];
      if (swapped !== task.code) probes.push(swapped);
      for (const code of probes) {
        const res = await t.w.strickenClerk.agent.get(`/api/v1/tasks/by-code/${encodeURIComponent(code)}`);
        expect({ code, status: res.status }).toEqual({ code, status: 400 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.errors).toEqual([
          expect.objectContaining({
            field: 'code',
            message: 'this code is not valid: check the characters',
            code: 'task_code',
          }),
        ]);
      }
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('answers 404 to a valid code of no task, or of a task of another region', async () => {
      const foreign = await postTask(t.w.foreignManager);
      await t.w.clerk.agent.get(`/api/v1/tasks/by-code/${foreign.code}`).expect(404);
      await t.w.dpo.agent.get(`/api/v1/tasks/by-code/${foreign.code}`).expect(404);
      // A valid code nobody holds: the check passes, the task does not exist.
      for (let n = 0; n < 32; n++) {
        const candidate = `ZZZ-000${crockfordAlphabet.charAt(n)}`;
        const check = Array.from(crockfordAlphabet).find((c) => parseTaskCode(`${candidate}${c}`).ok);
        if (!check) continue;
        const res = await t.w.clerk.agent.get(`/api/v1/tasks/by-code/${candidate}${check}`);
        expect(res.status).toBe(404);
        return;
      }
      throw new Error('no valid ZZZ code found');
    });

    it('finds the task however the code is typed, with citizen data under the same rules as GET /tasks/:id', async () => {
      const task = await postTask(t.w.manager);
      const loose = task.code.replace('-', '').toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
      const byHelper = await t.w.clerk.agent.get(`/api/v1/tasks/by-code/${loose}`).expect(200);
      const byId = await t.w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
      expect(byHelper.body).toEqual(byId.body);
      expect(byHelper.body.citizen).toBeUndefined();
      const byRequester = await t.w.manager.agent.get(`/api/v1/tasks/by-code/${task.code}`).expect(200);
      expect(byRequester.body.id).toBe(task.id);
      expect(byRequester.body.citizen.fullName).toBe('Jeanne Dupont');
      expect(byRequester.headers['cache-control']).toMatch(/no-store/);
      const reads = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/citizen-reads`).expect(200);
      expect(reads.body.items.length).toBeGreaterThanOrEqual(1);
    });
  });
});

/** The migrations as they stood before 0012: a database made with them holds tasks without codes. */
function migrationsBefore0012(): string {
  const source = path.join(__dirname, '../../server/db/migrations');
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-migrations-'));
  fs.mkdirSync(path.join(target, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(source, 'meta/_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx < 12);
  fs.writeFileSync(path.join(target, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries)
    fs.copyFileSync(path.join(source, `${e.tag}.sql`), path.join(target, `${e.tag}.sql`));
  return target;
}

describe.each(drivers)('migration 0012 on %s', (driver: Driver) => {
  it('gives the communes and tasks already there prefixes, valid codes and their search text', async () => {
    const server = driver === 'postgres' ? await createServerDatabase() : undefined;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-migrate-'));
    const old = migrationsBefore0012();
    try {
      const before = await openDatabase({ url: server?.url, dataDir, migrationsFolder: old });
      await before.migrate();
      // The task types as they were then (today's seed writes columns later migrations add).
      await before.db.execute(sql`
        insert into task_types (key, label_fr, label_en, category, sla_hours)
        values ('certificat_residence', 'Certificat de résidence', 'Residence certificate', 'document', 48)`);
      const ids = await rowsOf<{ id: string; name: string }>(
        before.db,
        sql`
        with r as (insert into regions (name) values ('Région') returning id)
        insert into communes (name, code, region_id, latitude, longitude, created_at)
        select name, code, r.id, 50.6, 5.5, now() + n * interval '1 second' from r,
          (values (1, 'Liège', '62063'), (2, 'Lierneux', '63045'), (3, 'Lincent', '64047'), (4, 'Ans', '62003'), (5, 'Y', '99999'))
          as c(n, name, code)
        returning id, name`,
      );
      const communeIds = ids.map((r) => r.id);
      await before.db.execute(sql`
        insert into tasks (requesting_commune_id, region_id, type, title, details, priority, due_at, delivery_mode)
        select c.id, c.region_id, 'certificat_residence', 'Tâche n°' || n || ' à Liège', 'Détails ÉCOLE', 'normal',
               now() + n * interval '1 hour', 'pickup_helper'
        from communes c, generate_series(1, 100) n where c.id = any(${sql.param(communeIds)}::uuid[])`);
      await before.close();

      const after = await openDatabase({ url: server?.url, dataDir });
      await after.migrate();
      const communes = await rowsOf<{ name: string; task_code_prefix: string }>(
        after.db,
        sql`select name, task_code_prefix from communes order by created_at, id`,
      );
      expect(Object.fromEntries(communes.map((c) => [c.name, c.task_code_prefix]))).toEqual({
        Liège: 'LIE',
        Lierneux: 'LIR',
        Lincent: 'LIN',
        Ans: 'ANS',
        Y: 'YXX',
      });
      const tasks = await rowsOf<{
        code: string;
        title: string;
        details: string;
        search_text: string;
        prefix: string;
        priority_rank: number;
      }>(
        after.db,
        sql`select t.code, t.title, t.details, s.search_text, t.priority_rank, c.task_code_prefix as prefix
             from tasks t join communes c on c.id = t.requesting_commune_id
             join task_search s on s.task_id = t.id`,
      );
      expect(tasks).toHaveLength(500);
      const labels = { fr: 'Certificat de résidence', en: 'Residence certificate' };
      for (const row of tasks) {
        expect(parseTaskCode(row.code)).toEqual({ ok: true, code: row.code });
        expect(row.code.startsWith(`${row.prefix}-`)).toBe(true);
        // The migration folds in SQL as the application does in JavaScript (and 0017 moves it to task_search).
        expect(row.search_text).toBe(taskSearchText(row, labels));
        expect(row.priority_rank).toBe(2);
      }
      expect(new Set(tasks.map((r) => taskCodeKey(r.code))).size).toBe(500);

      await after.close();
    } finally {
      await server?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(old, { recursive: true, force: true });
    }
  });
});

describe.each(drivers)('the demo seed on %s', (driver: Driver) => {
  it('gives the demo communes their prefixes and every demo task a valid code', async () => {
    const app = await startTestApp(driver, { SEED_DEMO: 'true' });
    try {
      const db = app.running.database.db;
      const communes = await rowsOf<{ name: string; task_code_prefix: string }>(
        db,
        sql`select name, task_code_prefix from communes`,
      );
      expect(Object.fromEntries(communes.map((c) => [c.name, c.task_code_prefix]))).toMatchObject({
        Liège: 'LIE',
        Seraing: 'SER',
        Herstal: 'HER',
        Ans: 'ANS',
        Verviers: 'VER',
        Spa: 'SPA',
      });
      const tasks = await rowsOf<{ code: string }>(db, sql`select code from tasks`);
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.filter((r) => !parseTaskCode(r.code).ok || !r.code.startsWith('LIE-'))).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
