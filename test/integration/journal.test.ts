import { and, count, eq, sql } from 'drizzle-orm';
import { reportDay } from '../../shared/schemas';
import { auditLog } from '../../server/db/schema';
import { makeUser, postTask, recoveredUser, taskInput, type TestUser } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

interface Entry {
  taskId: string;
  code: string;
  action: string;
  actorName: string | null;
  actorCommuneName: string | null;
  onBehalf: boolean;
  byOwnCommune: boolean;
  note: string | null;
  minutesSpent: number | null;
  citizen?: { fullName: string };
}

describe.each(drivers)('the hand-back journal on %s', (driver) => {
  const t = useWorld(driver);
  const today = () => reportDay(new Date());
  const journalOf = (communeId: string, query = `from=${today()}&to=${today()}&limit=100`) =>
    `/api/v1/communes/${communeId}/journal?${query}`;
  const citizenReads = async (via: string) =>
    (
      await t.app.running.database.db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.kind, 'citizen_read'), sql`${auditLog.detail}->>'via' = ${via}`))
    )[0]?.n ?? -1;
  /** Every entry of today's journal, page after page. */
  async function allEntries(user: TestUser, limit = 100): Promise<Entry[]> {
    const entries: Entry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `from=${today()}&to=${today()}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await user.agent.get(journalOf(t.w.stricken.id, query)).expect(200);
      entries.push(...(res.body.items as Entry[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return entries;
  }

  it('asks to sign in first', async () => {
    const res = await t.app.anonymous().get(journalOf(t.w.stricken.id));
    expect(res.status).toBe(401);
  });

  it('refuses a period that ends before it starts, or covers more than a year (400)', async () => {
    const reversed = await t.w.manager.agent.get(journalOf(t.w.stricken.id, 'from=2026-03-10&to=2026-03-01'));
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([
      { field: 'to', message: 'must not be before from', code: 'period_reversed' },
    ]);
    const long = await t.w.manager.agent.get(journalOf(t.w.stricken.id, 'from=2025-01-01&to=2026-01-02'));
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([
      {
        field: 'to',
        message: 'must be at most 366 days from from, both included',
        code: 'period_too_long',
        params: { max: 366 },
      },
    ]);
    const cursor = await t.w.manager.agent.get(journalOf(t.w.stricken.id, `from=${today()}&to=${today()}&cursor=nope`));
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([
      { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
    ]);
  });

  it('is for the commune’s managers and the coordinator: 403 to others of the region, 404 across regions', async () => {
    const otherManager = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
    const clerk = await t.w.strickenClerk.agent.get(journalOf(t.w.stricken.id));
    expect(clerk.status).toBe(403);
    expect(clerk.body.detail).toBe(
      "Only a commune's managers and the region's coordinator read its hand-back journal.",
    );
    expect((await t.w.dpo.agent.get(journalOf(t.w.stricken.id))).status).toBe(403);
    const neighbour = await otherManager.agent.get(journalOf(t.w.stricken.id));
    expect(neighbour.status).toBe(403);
    expect(neighbour.body.detail).toBe(
      "Only this commune's managers and the region's coordinator read its hand-back journal.",
    );
    expect((await t.w.foreignManager.agent.get(journalOf(t.w.stricken.id))).status).toBe(404);
    expect(
      (await t.w.foreignCoordinator.agent.get(journalOf(t.w.stricken.id, `from=${today()}&to=${today()}&format=csv`)))
        .status,
    ).toBe(404);
    expect((await t.w.coordinator.agent.get(journalOf(t.w.faraway.id))).status).toBe(404);
  });

  it('lists every act on the commune’s tasks, in order, with who did it and for whom', async () => {
    await t.w.manager.agent.post('/api/v1/incidents').send({ kind: 'cyberattack', title: 'Rançongiciel' }).expect(201);
    const onBehalf = await t.w.coordinator.agent
      .post('/api/v1/tasks')
      .send(taskInput({ requestingCommuneId: t.w.stricken.id, title: 'Posté par la région' }))
      .expect(201);
    const own = await postTask(t.w.manager, { title: 'Posté par la commune' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${own.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${own.id}/start`).send({ version: 2 }).expect(200);
    await t.w.clerk.agent
      .post(`/api/v1/tasks/${own.id}/complete`)
      .send({ version: 3, note: 'Délivré au guichet', minutesSpent: 20 })
      .expect(200);
    await t.w.clerk2.agent.post(`/api/v1/tasks/${onBehalf.body.id as string}/claim`).expect(200);
    await t.w.clerk2.agent
      .post(`/api/v1/tasks/${onBehalf.body.id as string}/release`)
      .send({ version: 2, reason: 'Plus de personnel' })
      .expect(200);
    await t.w.manager.agent
      .post(`/api/v1/tasks/${onBehalf.body.id as string}/cancel`)
      .send({ version: 3, reason: 'Doublon' })
      .expect(200);
    // Another commune's task is not in this journal.
    const elsewhere = await t.w.manager.agent.get('/api/v1/me').expect(200);
    expect(elsewhere.body.communeId).toBe(t.w.stricken.id);

    const res = await t.w.coordinator.agent.get(journalOf(t.w.stricken.id)).expect(200);
    expect(res.body).toMatchObject({
      communeId: t.w.stricken.id,
      communeName: t.w.stricken.name,
      from: today(),
      to: today(),
      timeZone: 'Europe/Brussels',
      nextCursor: null,
    });
    const mine = (res.body.items as Entry[]).filter((e) => [own.id, onBehalf.body.id].includes(e.taskId));
    expect(mine.map((e) => [e.code, e.action])).toEqual([
      [onBehalf.body.code, 'create'],
      [own.code, 'create'],
      [own.code, 'claim'],
      [own.code, 'start'],
      [own.code, 'complete'],
      [onBehalf.body.code, 'claim'],
      [onBehalf.body.code, 'release'],
      [onBehalf.body.code, 'cancel'],
    ]);
    expect(mine[0]).toMatchObject({
      actorName: `coordinator ${t.w.coordinator.username}`,
      actorCommuneName: null,
      onBehalf: true,
      byOwnCommune: false,
    });
    expect(mine[1]).toMatchObject({ onBehalf: false, byOwnCommune: true, actorCommuneName: t.w.stricken.name });
    expect(mine[4]).toMatchObject({
      actorName: `clerk ${t.w.clerk.username}`,
      actorCommuneName: t.w.helper.name,
      byOwnCommune: false,
      note: 'Délivré au guichet',
      minutesSpent: 20,
    });
    expect(mine[6]).toMatchObject({ actorCommuneName: t.w.helper2.name, note: 'Plus de personnel' });
    expect(mine[7]).toMatchObject({ byOwnCommune: true, note: 'Doublon' });
    // The coordinator reads no citizen.
    expect(JSON.stringify(res.body)).not.toContain('Jeanne Dupont');

    // Page by page, the same entries.
    const paged = await allEntries(t.w.manager, 2);
    const whole = await allEntries(t.w.manager);
    expect(paged.map((e) => e.code + e.action)).toEqual(whole.map((e) => e.code + e.action));
    expect(whole.length).toBeGreaterThanOrEqual(8);
    // Another day holds none of it.
    const before = await t.w.manager.agent.get(journalOf(t.w.stricken.id, 'from=2001-01-01&to=2001-12-31')).expect(200);
    expect(before.body.items).toEqual([]);
  });

  it('gives the citizens to the commune’s own managers only, each task’s read recorded', async () => {
    const task = await postTask(t.w.manager, { title: 'Avec citoyen' });
    const coordinatorReads = await citizenReads('journal');
    await t.w.coordinator.agent.get(journalOf(t.w.stricken.id)).expect(200);
    expect(await citizenReads('journal')).toBe(coordinatorReads);

    const res = await t.w.manager.agent.get(journalOf(t.w.stricken.id)).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const entry = (res.body.items as Entry[]).find((e) => e.taskId === task.id);
    expect(entry?.citizen).toMatchObject({ fullName: 'Jeanne Dupont' });
    const readTasks = new Set((res.body.items as Entry[]).filter((e) => e.citizen).map((e) => e.taskId));
    expect(await citizenReads('journal')).toBe(coordinatorReads + readTasks.size);
    const [recorded] = await t.app.running.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(
        and(eq(auditLog.taskId, task.id), eq(auditLog.kind, 'citizen_read'), eq(auditLog.actorUserId, t.w.manager.id)),
      );
    expect(recorded?.n).toBe(1);
  });

  it('gives no citizen through a manager’s account someone else recovered, and records no read', async () => {
    await postTask(t.w.manager);
    const { agent } = await recoveredUser(t.app, t.w.admin, 'manager', { communeId: t.w.stricken.id });
    const reads = await citizenReads('journal');
    const res = await agent.get(journalOf(t.w.stricken.id)).expect(200);
    expect(res.body.citizenWithheld).toBe('account_recovery_unconfirmed');
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain('Jeanne Dupont');
    expect(await citizenReads('journal')).toBe(reads);
  });

  it('exports CSV without citizen data, formulas escaped, the export recorded', async () => {
    const formula = await postTask(t.w.manager, { title: '=HYPERLINK("http://x.test","Ouvrir")' });
    const before = await writeCounts(t.app);
    const csv = await t.w.manager.agent
      .get(journalOf(t.w.stricken.id, `from=${today()}&to=${today()}&format=csv`))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(
      `entraide-journal-${t.w.stricken.code}-${today()}-${today()}.csv`,
    );
    const text = csv.text;
    expect(text.split('\n')[0]).toBe(
      '\ufeffat,task_code,task_type,task_title,action,from_status,to_status,by,by_commune,on_behalf,by_own_commune,note,minutes_spent',
    );
    expect(text).toContain(formula.code);
    expect(text).toContain(`"'=HYPERLINK(""http://x.test"",""Ouvrir"")"`);
    expect(text).not.toMatch(/Jeanne Dupont|85073003328|1985-07-30/);
    // A CSV reads no citizen: no citizen read recorded, only the export.
    expect((await writeCounts(t.app)).citizenReads).toBe(before.citizenReads);
    const byAccept = await t.w.coordinator.agent.get(journalOf(t.w.stricken.id)).set('Accept', 'text/csv').expect(200);
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    const [exported] = await t.app.running.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.kind, 'export'), sql`${auditLog.detail}->>'of' = 'journal'`));
    expect(exported?.n).toBe(2);
  });
});
