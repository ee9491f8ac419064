import { eq, sql } from 'drizzle-orm';
import { auditLog, events } from '../../server/db/schema';
import { postTask, type World } from '../factories';
import { drivers, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

interface Report {
  ok: boolean;
  count: number;
  lastSeq: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { seq: number; reason: string } | null;
}

/** Some history in both chains: tasks posted, claimed and released, their citizen data read. */
async function someHistory(w: World) {
  for (let i = 0; i < 3; i++) {
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/release`).send({ version: 2, reason: 'Erreur' }).expect(200);
    await w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
  }
}

async function verify(w: World, query = ''): Promise<{ events: Report; audit: Report }> {
  return (await w.dpo.agent.get(`/api/v1/audit/verify${query}`).expect(200)).body;
}

/** Runs `tamper` as the tables' owner would, with the append-only guards switched off for it. */
async function asOwner(app: TestApp, table: 'events' | 'audit_log', tamper: () => Promise<unknown>) {
  const db = app.running.database.db;
  await db.execute(sql.raw(`alter table ${table} disable trigger user`));
  try {
    await tamper();
  } finally {
    await db.execute(sql.raw(`alter table ${table} enable trigger user`));
  }
}

describe.each(drivers)('the audit trail and its chains on %s', (driver) => {
  describe('untouched', () => {
    const t = useWorld(driver);

    it('holds, with heads anyone can anchor, and refuses UPDATE, DELETE and TRUNCATE in the database', async () => {
      await someHistory(t.w);
      const report = await verify(t.w);
      expect(report.events).toMatchObject({ ok: true, firstBroken: null });
      expect(report.events.count).toBe(report.events.lastSeq);
      expect(report.events.head?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(report.audit).toMatchObject({ ok: true, firstBroken: null });
      expect(report.audit.count).toBeGreaterThanOrEqual(3);
      // An anchored head that is still in the chain holds; a made-up one does not.
      const head = `${report.events.head?.seq}:${report.events.head?.hash}`;
      expect((await verify(t.w, `?eventsHead=${head}`)).events.ok).toBe(true);
      const forged = `${report.events.head?.seq}:${'0'.repeat(64)}`;
      expect((await verify(t.w, `?eventsHead=${forged}`)).events.firstBroken?.reason).toBe(
        'the anchored head is no longer in the chain',
      );
      const bad = await t.w.dpo.agent.get('/api/v1/audit/verify?eventsHead=12');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'eventsHead' });

      const db = t.app.running.database.db;
      await expect(db.update(events).set({ note: 'x' }).where(eq(events.seq, 1))).rejects.toThrow();
      await expect(db.delete(events).where(eq(events.seq, 1))).rejects.toThrow();
      await expect(db.execute(sql`truncate events cascade`)).rejects.toThrow();
      await expect(db.update(auditLog).set({ detail: {} }).where(eq(auditLog.seq, 1))).rejects.toThrow();
      await expect(db.delete(auditLog).where(eq(auditLog.seq, 1))).rejects.toThrow();
      expect((await verify(t.w)).events.ok).toBe(true);
    });

    it('gives the DPO their region, filtered, as JSON pages and as CSV with formulas escaped', async () => {
      const task = await postTask(t.w.manager);
      await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
      const reads = await t.w.dpo.agent.get(`/api/v1/audit?kind=citizen_read&taskId=${task.id}`).expect(200);
      expect(reads.body.items).toHaveLength(1);
      expect(reads.body.items[0]).toMatchObject({
        kind: 'citizen_read',
        actorUserId: t.w.manager.id,
        actorName: `manager ${t.w.manager.username}`,
        taskId: task.id,
      });
      const first = await t.w.dpo.agent.get('/api/v1/audit?limit=2').expect(200);
      const second = await t.w.dpo.agent.get(`/api/v1/audit?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);

      const csv = await t.w.dpo.agent.get('/api/v1/audit/export.csv?kind=citizen_read').expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text).toContain('seq,at,kind,actor');
      expect(csv.text).toContain(task.id);
      // A name that a spreadsheet would take for a formula is written so that it is not one.
      const username = `formula.${Date.now().toString(36)}`;
      const formula = '=HYPERLINK("http://evil.example","x")';
      await t.w.admin.agent
        .post('/api/v1/users')
        .send({
          username,
          displayName: formula,
          role: 'clerk',
          password: 'long-enough-password',
          communeId: t.w.helper.id,
        })
        .expect(201);
      await t.app
        .anonymous()
        .post('/api/v1/auth/login')
        .send({ username, password: 'long-enough-password' })
        .expect(200);
      const signIns = await t.w.dpo.agent.get('/api/v1/audit/export.csv?kind=sign_in').expect(200);
      expect(signIns.text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
      expect(signIns.text).not.toMatch(/,=HYPERLINK/);
      // The export itself is on the trail.
      const exports = await t.w.dpo.agent.get('/api/v1/audit?kind=export').expect(200);
      expect(exports.body.items[0]).toMatchObject({ kind: 'export', actorUserId: t.w.dpo.id });
    });

    it('refuses a malformed or reversed period, a period over a year, and an unknown kind, with 400', async () => {
      for (const query of [
        'from=yesterday',
        'from=2026-11-20T00:00:00Z&to=2026-11-01T00:00:00Z',
        'from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z',
        'kind=everything',
        'cursor=not-a-cursor',
      ]) {
        const res = await t.w.dpo.agent.get(`/api/v1/audit?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      const reversed = await t.w.dpo.agent.get('/api/v1/audit?from=2026-11-20T00:00:00Z&to=2026-11-01T00:00:00Z');
      expect(reversed.body.errors[0]).toMatchObject({ field: 'to', message: 'must not be before from' });
      expect(
        (await t.w.dpo.agent.get('/api/v1/audit/export.csv?to=2026-11-01T00:00:00Z&from=2026-12-01T00:00:00Z')).status,
      ).toBe(400);
    });
  });

  describe('an event rewritten in place', () => {
    const t = useWorld(driver);
    it('is found at its own number', async () => {
      await someHistory(t.w);
      const db = t.app.running.database.db;
      await asOwner(t.app, 'events', () => db.update(events).set({ note: 'Rien à voir' }).where(eq(events.seq, 4)));
      expect((await verify(t.w)).events).toMatchObject({
        ok: false,
        firstBroken: { seq: 4, reason: 'its content does not match its hash' },
      });
    });
  });

  describe('an event unnumbered so that the sequencer hashes its new content again', () => {
    const t = useWorld(driver);
    it('leaves a gap where it was', async () => {
      await someHistory(t.w);
      const db = t.app.running.database.db;
      await asOwner(t.app, 'events', () =>
        db.update(events).set({ note: 'Autre chose', seq: null, hash: null, chainHash: null }).where(eq(events.seq, 2)),
      );
      await t.app.running.sequencer.flush();
      expect((await verify(t.w)).events).toMatchObject({
        ok: false,
        firstBroken: { seq: 2, reason: 'number 2 is missing' },
      });
    });
  });

  describe('the last events deleted', () => {
    const t = useWorld(driver);
    it('are missed by the counter, and, with the counter wound back too, by the head anchored before', async () => {
      await someHistory(t.w);
      const before = await verify(t.w);
      const anchored = `?eventsHead=${before.events.head?.seq}:${before.events.head?.hash}`;
      const last = before.events.lastSeq;
      const db = t.app.running.database.db;
      await asOwner(t.app, 'events', () => db.execute(sql`delete from events where seq > ${last - 2}`));
      expect((await verify(t.w)).events.firstBroken?.reason).toBe(
        `${last} were numbered, ${last - 2} are there: the last ones are gone`,
      );
      // The owner winds the counter back to match: only a head kept outside the database tells.
      const head = await db.execute(sql`select chain_hash from events where seq = ${last - 2}`);
      const chain = (head as { rows: { chain_hash: string }[] }).rows[0]?.chain_hash ?? '';
      await db.execute(sql`update event_sequencer set last_seq = ${last - 2}, last_chain_hash = ${chain}`);
      expect((await verify(t.w)).events.ok).toBe(true);
      expect((await verify(t.w, anchored)).events.firstBroken?.reason).toBe(
        'the anchored head is no longer in the chain',
      );
    });
  });

  describe('an audit entry deleted', () => {
    const t = useWorld(driver);
    it('breaks the audit chain where it was', async () => {
      await someHistory(t.w);
      // Entries are numbered in the background: number them before tampering with number 3.
      await t.app.running.auditSequencer.flush();
      const db = t.app.running.database.db;
      await asOwner(t.app, 'audit_log', () => db.delete(auditLog).where(eq(auditLog.seq, 3)));
      expect((await verify(t.w)).audit.firstBroken).toEqual({ seq: 3, reason: 'number 3 is missing' });
    });
  });

  describe('an audit entry edited', () => {
    const t = useWorld(driver);
    it('no longer matches its hash', async () => {
      await someHistory(t.w);
      await t.app.running.auditSequencer.flush();
      const db = t.app.running.database.db;
      await asOwner(t.app, 'audit_log', () =>
        db
          .update(auditLog)
          .set({ detail: { method: 'nothing to see' } })
          .where(eq(auditLog.seq, 2)),
      );
      expect((await verify(t.w)).audit.firstBroken).toEqual({ seq: 2, reason: 'its content does not match its hash' });
    });
  });
});
