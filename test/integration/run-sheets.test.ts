import crypto from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { RunSheet } from '../../shared/schemas';
import { crockfordAlphabet, generateTaskCode } from '../../shared/task-code';
import { auditLog, tasks } from '../../server/db/schema';
import { postTask, recoveredUser, type TestUser } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

type Posted = Awaited<ReturnType<typeof postTask>>;

/** The same code with its check character changed: a typing mistake. */
function mistyped(code: string): string {
  const last = code.charAt(code.length - 1);
  const other = crockfordAlphabet.charAt((crockfordAlphabet.indexOf(last) + 1) % crockfordAlphabet.length);
  return `${code.slice(0, -1)}${other}`;
}

describe.each(drivers)('paper run-sheets on %s', (driver) => {
  const t = useWorld(driver);
  const db = () => t.app.running.database.db;

  const claim = async (task: Posted, clerk: TestUser = t.w.clerk) =>
    clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  const start = async (task: Posted, clerk: TestUser = t.w.clerk) =>
    clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
  const statusOf = async (id: string) =>
    (await db().select({ status: tasks.status, version: tasks.version }).from(tasks).where(eq(tasks.id, id)))[0];
  const citizenReads = async (taskId: string) =>
    (
      await db()
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.taskId, taskId), eq(auditLog.kind, 'citizen_read')))
    )[0]?.n;

  describe('the sheet', () => {
    it('asks to sign in first', async () => {
      const res = await t.app.anonymous().post('/api/v1/run-sheets').send({ taskIds: [] });
      expect(res.status).toBe(401);
    });

    it('refuses an empty sheet or a task named twice (400), reading nothing', async () => {
      const task = await postTask(t.w.manager);
      const before = await writeCounts(t.app);
      const empty = await t.w.manager.agent.post('/api/v1/run-sheets').send({ taskIds: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.errors).toEqual([
        expect.objectContaining({ field: 'taskIds', message: 'must name at least one task' }),
      ]);
      const twice = await t.w.manager.agent.post('/api/v1/run-sheets').send({ taskIds: [task.id, task.id] });
      expect(twice.status).toBe(400);
      expect(twice.body.errors).toEqual([{ field: 'taskIds.1', message: 'is named twice', code: 'duplicate_id' }]);
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('refuses the coordinator (403), a task the commune does not hold (403), another region’s (404)', async () => {
      const task = await postTask(t.w.manager);
      await claim(task);
      const before = await writeCounts(t.app);
      const coordinator = await t.w.coordinator.agent.post('/api/v1/run-sheets').send({ taskIds: [task.id] });
      expect(coordinator.status).toBe(403);
      expect(coordinator.body.detail).toBe("Only a commune's managers and clerks print run-sheets.");
      const other = await t.w.clerk2.agent.post('/api/v1/run-sheets').send({ taskIds: [task.id] });
      expect(other.status).toBe(403);
      expect(other.body.detail).toBe(
        "A run-sheet holds only tasks your commune holds, or, for its managers, your commune's own tasks.",
      );
      const foreign = await t.w.foreignClerk.agent.post('/api/v1/run-sheets').send({ taskIds: [task.id] });
      expect(foreign.status).toBe(404);
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('prints what the commune holds, with the citizen where it may read it, each read recorded', async () => {
      const withCitizen = await postTask(t.w.manager);
      const without = await postTask(t.w.manager, { citizen: undefined, title: 'Sans citoyen' });
      await claim(withCitizen);
      await claim(without);
      const res = await t.w.clerk.agent
        .post('/api/v1/run-sheets')
        .send({ taskIds: [without.id, withCitizen.id] })
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ communeId: t.w.helper.id, communeName: t.w.helper.name });
      // The sheet as the shared schema types it: the legal basis is there in both languages.
      const sheet = RunSheet.parse(res.body);
      expect(sheet.items[1]?.legalBasis).toEqual({ fr: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
      expect(res.body.items).toEqual([
        { task: expect.objectContaining({ id: without.id, code: without.code, title: 'Sans citoyen' }) },
        {
          task: expect.objectContaining({ id: withCitizen.id, code: withCitizen.code, hasCitizenData: true }),
          citizen: expect.objectContaining({ fullName: 'Jeanne Dupont', nationalNumber: '85073003328' }),
          legalBasis: sheet.items[1]?.legalBasis,
        },
      ]);
      expect(await citizenReads(withCitizen.id)).toBe(1);
      expect(await citizenReads(without.id)).toBe(0);

      // The requesting commune's manager prints its own tasks, open or held elsewhere.
      const open = await postTask(t.w.manager);
      const own = await t.w.manager.agent
        .post('/api/v1/run-sheets')
        .send({ taskIds: [open.id, withCitizen.id] })
        .expect(200);
      expect(own.body.items.map((i: { citizen?: { fullName: string } }) => i.citizen?.fullName)).toEqual([
        'Jeanne Dupont',
        'Jeanne Dupont',
      ]);
      expect(await citizenReads(withCitizen.id)).toBe(2);
    });

    it('prints no citizen through an account someone else recovered, and records no read', async () => {
      const task = await postTask(t.w.manager);
      await claim(task);
      const { agent } = await recoveredUser(t.app, t.w.admin, 'clerk', { communeId: t.w.helper.id });
      const res = await agent
        .post('/api/v1/run-sheets')
        .send({ taskIds: [task.id] })
        .expect(200);
      expect(res.body.items).toEqual([
        { task: expect.objectContaining({ id: task.id }), citizenWithheld: 'account_recovery_unconfirmed' },
      ]);
      expect(await citizenReads(task.id)).toBe(0);
    });
  });

  describe('the reconciliation', () => {
    it('asks to sign in first', async () => {
      const res = await t.app.anonymous().post('/api/v1/run-sheets/reconcile').send({ lines: [] });
      expect(res.status).toBe(401);
    });

    it('refuses an empty batch, or a line without its outcome (400)', async () => {
      const empty = await t.w.clerk.agent.post('/api/v1/run-sheets/reconcile').send({ lines: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.errors).toEqual([
        expect.objectContaining({ field: 'lines', message: 'must hold at least one line' }),
      ]);
      const task = await postTask(t.w.manager);
      const noOutcome = await t.w.clerk.agent
        .post('/api/v1/run-sheets/reconcile')
        .send({ lines: [{ code: task.code, outcome: 'maybe' }] });
      expect(noOutcome.status).toBe(400);
      expect(noOutcome.body.errors).toEqual([
        expect.objectContaining({ field: 'lines.0.outcome', message: 'must be done or not_done' }),
      ]);
    });

    it('refuses the whole batch when a code is mistyped, named twice or unknown, applying nothing', async () => {
      const good = await postTask(t.w.manager);
      const other = await postTask(t.w.manager);
      await claim(good);
      await claim(other);
      const foreignManager = t.w.foreignManager;
      const foreign = await postTask(foreignManager);
      const prefix = good.code.slice(0, 3);
      let unknown = generateTaskCode(prefix, (n) => crypto.randomInt(n));
      while (unknown === good.code || unknown === other.code)
        unknown = generateTaskCode(prefix, (n) => crypto.randomInt(n));
      const before = await writeCounts(t.app);
      const res = await t.w.clerk.agent.post('/api/v1/run-sheets/reconcile').send({
        lines: [
          { code: good.code, outcome: 'done', note: 'Délivré' },
          { code: mistyped(other.code), outcome: 'done' },
          { code: good.code.toLowerCase().replace('-', ''), outcome: 'not_done' },
          { code: unknown, outcome: 'done' },
          { code: foreign.code, outcome: 'done' },
          { code: 'n’importe quoi', outcome: 'done' },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('Nothing was applied: 5 line(s) of the run-sheet to correct first.');
      expect(res.body.errors).toEqual([
        {
          field: 'lines.1.code',
          row: 2,
          message: 'this code is not valid: check the characters',
          code: 'task_code',
          params: { reason: 'check' },
        },
        {
          field: 'lines.2.code',
          row: 3,
          message: 'appears twice: line 1 has it too',
          code: 'duplicate_code',
          params: { line: 1 },
        },
        {
          field: 'lines.3.code',
          row: 4,
          message: 'is not the code of a task of your region',
          code: 'unknown_task_code',
        },
        {
          field: 'lines.4.code',
          row: 5,
          message: 'is not the code of a task of your region',
          code: 'unknown_task_code',
        },
        {
          field: 'lines.5.code',
          row: 6,
          message: 'this code is not valid: check the characters',
          code: 'task_code',
          params: { reason: 'malformed' },
        },
      ]);
      expect(await writeCounts(t.app)).toEqual(before);
      expect(await statusOf(good.id)).toEqual({ status: 'claimed', version: 2 });
      expect(await statusOf(other.id)).toEqual({ status: 'claimed', version: 2 });
    });

    it('is for the clerks of the holding commune: a manager gets 403', async () => {
      const task = await postTask(t.w.manager);
      const res = await t.w.manager.agent
        .post('/api/v1/run-sheets/reconcile')
        .send({ lines: [{ code: task.code, outcome: 'done' }] });
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe(
        "Only a clerk of the commune that holds the tasks types back a run-sheet's results.",
      );
    });

    it('applies each line it can: done completes, not done releases; the others say why not', async () => {
      const claimedOnly = await postTask(t.w.manager);
      const started = await postTask(t.w.manager);
      const givenBack = await postTask(t.w.manager);
      const elsewhere = await postTask(t.w.manager);
      const finished = await postTask(t.w.manager);
      const open = await postTask(t.w.manager);
      await claim(claimedOnly);
      await claim(started);
      await start(started);
      await claim(givenBack);
      await claim(elsewhere, t.w.clerk2);
      await claim(finished);
      await start(finished);
      await t.w.clerk.agent.post(`/api/v1/tasks/${finished.id}/complete`).send({ version: 3 }).expect(200);

      const res = await t.w.clerk.agent
        .post('/api/v1/run-sheets/reconcile')
        .send({
          lines: [
            { code: claimedOnly.code, outcome: 'done', note: 'Remis au guichet' },
            { code: ` ${started.code.toLowerCase()} `, outcome: 'done' },
            { code: givenBack.code, outcome: 'not_done', note: 'Citoyen injoignable' },
            { code: elsewhere.code, outcome: 'done' },
            { code: finished.code, outcome: 'not_done' },
            { code: open.code, outcome: 'done' },
          ],
        })
        .expect(200);
      expect(res.body.applied).toBe(3);
      expect(res.body.refused).toBe(3);
      expect(res.body.lines).toEqual([
        expect.objectContaining({ line: 1, code: claimedOnly.code, result: 'completed', status: 'done', version: 4 }),
        expect.objectContaining({ line: 2, code: started.code, result: 'completed', status: 'done', version: 4 }),
        expect.objectContaining({ line: 3, code: givenBack.code, result: 'released', status: 'open', version: 3 }),
        expect.objectContaining({ line: 4, result: 'refused', reason: 'not_held', status: 'claimed' }),
        expect.objectContaining({ line: 5, result: 'refused', reason: 'already_done', status: 'done' }),
        expect.objectContaining({ line: 6, result: 'refused', reason: 'not_held', status: 'open' }),
      ]);
      expect(res.body.lines[3].message).toBe(
        'Your commune does not hold this task: it is open, or another commune holds it. Nothing changed.',
      );

      // Completed as a clerk would by hand: started first, then done with the note and the type's minutes.
      const done = await t.w.clerk.agent.get(`/api/v1/tasks/${claimedOnly.id}`).expect(200);
      expect(done.body).toMatchObject({ status: 'done', outcome: 'Remis au guichet', minutesSpent: 15 });
      const history = await t.w.manager.agent.get(`/api/v1/tasks/${claimedOnly.id}/events`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
        'create',
        'claim',
        'start',
        'complete',
      ]);
      expect(history.body.items[3]).toMatchObject({ actorUserId: t.w.clerk.id, note: 'Remis au guichet' });
      // Not done: back on the board, the note as the reason; the other commune can take it.
      const released = await t.w.manager.agent.get(`/api/v1/tasks/${givenBack.id}/events`).expect(200);
      expect(released.body.items.at(-1)).toMatchObject({ action: 'release', note: 'Citoyen injoignable' });
      await claim(givenBack, t.w.clerk2);
      // What was refused did not change.
      expect(await statusOf(elsewhere.id)).toEqual({ status: 'claimed', version: 2 });
      expect(await statusOf(finished.id)).toEqual({ status: 'done', version: 4 });
      expect(await statusOf(open.id)).toEqual({ status: 'open', version: 1 });
    });

    it('says “not done” without a note as the run-sheet’s reason', async () => {
      const task = await postTask(t.w.manager);
      await claim(task);
      await t.w.clerk.agent
        .post('/api/v1/run-sheets/reconcile')
        .send({ lines: [{ code: task.code, outcome: 'not_done' }] })
        .expect(200);
      const history = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
      expect(history.body.items.at(-1)).toMatchObject({ action: 'release', note: 'Not done (paper run-sheet)' });
    });
  });
});
