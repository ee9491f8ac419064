import { eq, sql } from 'drizzle-orm';
import { events } from '../../server/db/schema';
import { postTask } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

interface Change {
  seq: number;
  type: string;
  task?: { id: string; status: string };
  incident?: { id: string };
}

describe.each(drivers)('changes feed and history on %s', (driver) => {
  const t = useWorld(driver);

  it('answers 401, then 400 to a bad since, then 403 to the admin', async () => {
    expect((await t.app.anonymous().get('/api/v1/changes')).status).toBe(401);
    const bad = await t.w.clerk.agent.get('/api/v1/changes?since=-4');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toEqual({
      field: 'since',
      message: 'must be a sequence number (a whole number, 0 or more)',
      code: 'too_small',
      params: { min: 0 },
    });
    expect((await t.w.clerk.agent.get('/api/v1/changes?since=abc')).status).toBe(400);
    expect((await t.w.admin.agent.get('/api/v1/changes')).status).toBe(403);
  });

  it('serves every change of the region after `since`, in increasing order, without citizen data or other regions', async () => {
    const start = (await t.w.clerk.agent.get('/api/v1/changes?since=0')).body.last as number;
    const task = await postTask(t.w.manager);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    const foreign = await postTask(t.w.foreignManager);
    const res = await t.w.clerk2.agent.get(`/api/v1/changes?since=${start}`);
    expect(res.status).toBe(200);
    const items = res.body.items as Change[];
    expect(items.map((c) => `${c.type}:${c.task?.status}`)).toEqual([
      'task:created:open',
      'task:updated:claimed',
      'task:updated:in_progress',
    ]);
    const seqs = items.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(JSON.stringify(res.body)).not.toContain('Jeanne');
    expect(JSON.stringify(res.body)).not.toContain(foreign.id);
    expect(res.body.hasMore).toBe(false);
    expect(res.body.head).toBeGreaterThanOrEqual(res.body.last as number);
    expect(res.body.last).toBeGreaterThanOrEqual(seqs[seqs.length - 1] ?? 0);
    const foreignView = await t.w.foreignClerk.agent.get(`/api/v1/changes?since=${start}`);
    expect((foreignView.body.items as Change[]).map((c) => c.task?.id)).toEqual([foreign.id]);
    // Paging: one at a time reaches the same events.
    const first = await t.w.clerk2.agent.get(`/api/v1/changes?since=${start}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.hasMore).toBe(true);
    const rest = await t.w.clerk2.agent.get(`/api/v1/changes?since=${first.body.last}`);
    expect([...first.body.items, ...rest.body.items].map((c: Change) => c.seq)).toEqual(seqs);
  });

  it('numbers whatever committed before a read, so a writer always reads its own writes', async () => {
    const { updateTaskIf } = await import('../../server/resources/tasks/tasks-repo');
    const task = await postTask(t.w.manager);
    const start = (await t.w.clerk.agent.get('/api/v1/changes?since=0')).body.last as number;
    // A write that does not start the sequencer, as one on another instance: only the read can number it.
    await updateTaskIf(
      t.app.running.database.db,
      { taskId: task.id, version: 1, from: ['open'] },
      { priority: 'urgent' },
      {
        action: 'update',
        actorUserId: t.w.manager.id,
        actorCommuneId: t.w.stricken.id,
        fromStatus: 'open',
        note: null,
      },
    );
    const changes = await t.w.clerk.agent.get(`/api/v1/changes?since=${start}`).expect(200);
    expect((changes.body.items as Change[]).map((c) => `${c.type}:${c.task?.id}`)).toEqual([`task:updated:${task.id}`]);
    const history = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
    expect((history.body.items as { seq: number | null }[]).map((e) => e.seq !== null && e.seq > 0)).toEqual([
      true,
      true,
    ]);
    expect(history.body.chainValid).toBe(true);
  });

  it("chains each task's history with hashes and detects tampering", async () => {
    const task = await postTask(t.w.manager);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/release`).send({ version: 2, reason: 'Erreur' }).expect(200);
    const history = await t.w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`);
    expect(history.status).toBe(200);
    const items = history.body.items as { prevHash: string | null; hash: string; seq: number }[];
    expect(items).toHaveLength(3);
    expect(items[0]?.prevHash).toBeNull();
    expect(items[1]?.prevHash).toBe(items[0]?.hash);
    expect(items[2]?.prevHash).toBe(items[1]?.hash);
    expect(items.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && e.seq > 0)).toBe(true);
    expect(history.body.chainValid).toBe(true);
    expect((await t.w.foreignCoordinator.agent.get(`/api/v1/tasks/${task.id}/events`)).status).toBe(404);

    // Someone rewrites the release reason directly in the database: PostgreSQL refuses it…
    const db = t.app.running.database.db;
    const rewrite = () =>
      db
        .update(events)
        .set({ note: 'Rien à voir' })
        .where(eq(events.hash, items[2]?.hash ?? ''));
    await expect(rewrite()).rejects.toThrow();
    // …unless they own the table and switch its guard off: then the chain tells.
    await db.execute(sql`alter table events disable trigger user`);
    await rewrite();
    await db.execute(sql`alter table events enable trigger user`);
    const tampered = await t.w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`);
    expect(tampered.body.chainValid).toBe(false);
  });
});

// Two transactions interleaving needs two connections: the PostgreSQL server, not PGlite's single one.
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('sequence numbers on %s', (driver) => {
    const t = useWorld(driver);

    it('numbers events in commit order, so a reader never misses one that committed late', async () => {
      const { transaction } = await import('../../server/db/client');
      const { updateTaskIf } = await import('../../server/resources/tasks/tasks-repo');
      const slow = await postTask(t.w.manager);
      const fast = await postTask(t.w.manager);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let written: () => void = () => undefined;
      const wrote = new Promise<void>((resolve) => {
        written = resolve;
      });
      // A transaction writes its event first (the smaller id) but commits last.
      const late = transaction(t.app.running.database.db, async (tx) => {
        await updateTaskIf(
          tx,
          { taskId: slow.id, version: 1, from: ['open'] },
          { priority: 'urgent' },
          {
            action: 'update',
            actorUserId: t.w.manager.id,
            actorCommuneId: t.w.stricken.id,
            fromStatus: 'open',
            note: null,
          },
        );
        written();
        await gate;
      });
      await wrote;
      await t.w.clerk.agent.post(`/api/v1/tasks/${fast.id}/claim`).expect(200);
      const before = await t.w.clerk2.agent.get('/api/v1/changes?since=0&limit=500');
      const seen = before.body.items as Change[];
      expect(seen[seen.length - 1]?.task?.id).toBe(fast.id);
      expect(seen.some((c) => c.task?.id === slow.id && c.task.status === 'open' && c.type === 'task:updated')).toBe(
        false,
      );
      release();
      await late;
      const after = await t.w.clerk2.agent.get(`/api/v1/changes?since=${before.body.last}`);
      const next = after.body.items as (Change & { task?: { priority?: string } })[];
      expect(next.map((c) => c.task?.id)).toEqual([slow.id]);
      expect(next[0]?.seq).toBeGreaterThan(before.body.last as number);
      const history = await t.w.manager.agent.get(`/api/v1/tasks/${slow.id}/events`);
      expect(history.body.chainValid).toBe(true);
    });
  });
}
