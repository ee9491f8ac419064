import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { TaskStatus } from '../../shared/schemas';
import { generateTaskCode, taskCodeKey } from '../../shared/task-code';
import { communeClaimCounts, tasks } from '../../server/db/schema';
import {
  activeClaimSql,
  canMove,
  claimableSql,
  isActiveClaimOf,
  isClaimableBy,
  isOverdue,
  isUnstartedFor,
  lifecycle,
  overdueSql,
  unstartedForSql,
} from '../../server/resources/tasks/task-rules';
import { makeCommune, makeRegion } from '../factories';
import { drivers } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

/** Codes drawn at random, as the app draws them, but never one this file has drawn already (the column is unique). */
const drawn = new Set<string>();
function uniqueCode(prefix: string): string {
  for (;;) {
    const code = generateTaskCode(prefix, (n) => crypto.randomInt(n));
    if (!drawn.has(taskCodeKey(code))) {
      drawn.add(taskCodeKey(code));
      return code;
    }
  }
}

const now = new Date('2026-11-27T12:00:00.000Z');
const HOUR = 3_600_000;
const dueOffsets = [-86_400_000, -1, 0, 1, 86_400_000];

/** What a row in waiting_info must carry (tasks_waiting_ck), and only it. */
const waitingFields = (status: TaskStatus) =>
  status === 'waiting_info'
    ? { waitingFrom: 'in_progress' as const, waitingSince: now, question: 'Quelle adresse ?' }
    : {};

/**
 * The rules that SQL applies itself (list filters, the claim statement) hold the same answers as
 * their TypeScript forms on every combination of the columns they read, on real rows.
 */
describe.each(drivers)('task rules in SQL and in TypeScript on %s', (driver) => {
  const t = useTestApp(driver);

  async function insertEveryCombination() {
    const region = await makeRegion(t.app);
    const otherRegion = await makeRegion(t.app);
    const a = await makeCommune(t.app, region.id);
    const b = await makeCommune(t.app, region.id);
    const c = await makeCommune(t.app, otherRegion.id);
    const rows = TaskStatus.options.flatMap((status) =>
      dueOffsets.flatMap((offset) =>
        [a, b, c].map((commune) => ({
          requestingCommuneId: commune.id,
          regionId: commune.regionId,
          type: 'certificat_residence',
          title: `${status} ${offset}`,
          priority: 'normal' as const,
          deliveryMode: 'pickup_helper' as const,
          status,
          ...waitingFields(status),
          dueAt: new Date(now.getTime() + offset),
          code: uniqueCode(commune.taskCodePrefix),
        })),
      ),
    );
    const inserted = await t.app.running.database.db.insert(tasks).values(rows).returning();
    return { inserted, communes: [a, b, c] };
  }

  it('agree on overdue for every status and a due date before, at and after now', async () => {
    const { inserted } = await insertEveryCombination();
    const ids = inserted.map((r) => r.id);
    const inSql = await t.app.running.database.db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(inArray(tasks.id, ids), overdueSql(tasks, sql`${now.toISOString()}::timestamptz`)));
    const expected = inserted.filter((r) => isOverdue(r, now.getTime())).map((r) => r.id);
    expect(inSql.map((r) => r.id).sort()).toEqual(expected.sort());
    // Both answers are non-trivial: some rows are overdue, some are not.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(inserted.length);
  });

  it('agree on which claims a task takes, for every status, requesting commune and claimant', async () => {
    const { inserted, communes } = await insertEveryCombination();
    const ids = inserted.map((r) => r.id);
    let claimable = 0;
    for (const claimant of communes) {
      const who = { regionId: claimant.regionId, communeId: claimant.id };
      const inSql = await t.app.running.database.db
        .select({ id: tasks.id })
        .from(tasks)
        .where(
          and(
            inArray(tasks.id, ids),
            claimableSql(tasks, { regionId: sql`${who.regionId}::uuid`, communeId: sql`${who.communeId}::uuid` }),
          ),
        );
      const expected = inserted.filter((r) => isClaimableBy(r, who)).map((r) => r.id);
      expect(inSql.map((r) => r.id).sort()).toEqual(expected.sort());
      claimable += expected.length;
    }
    expect(claimable).toBeGreaterThan(0);
  });

  /** Every status, held by commune a, commune b or nobody, claimed at several ages. */
  async function insertEveryClaim() {
    const region = await makeRegion(t.app);
    const [requester, a, b] = await Promise.all([1, 2, 3].map(() => makeCommune(t.app, region.id)));
    const ages = [null, 0, HOUR - 1, HOUR, HOUR + 1, 30 * HOUR];
    const rows = TaskStatus.options.flatMap((status) =>
      [a?.id ?? null, b?.id ?? null, null].flatMap((holder) =>
        ages.map((age) => ({
          requestingCommuneId: requester?.id ?? '',
          regionId: region.id,
          type: 'certificat_residence',
          title: `${status} ${holder} ${age}`,
          priority: 'normal' as const,
          deliveryMode: 'pickup_helper' as const,
          status,
          ...waitingFields(status),
          dueAt: now,
          claimedByCommuneId: holder,
          claimedAt: age === null ? null : new Date(now.getTime() - age),
          code: uniqueCode(requester?.taskCodePrefix ?? 'ZZZ'),
        })),
      ),
    );
    const inserted = await t.app.running.database.db.insert(tasks).values(rows).returning();
    return { inserted, holders: [a?.id ?? '', b?.id ?? ''] };
  }

  it('agree on active claims, and the claim statement counts them as they do', async () => {
    const { inserted, holders } = await insertEveryClaim();
    const { db } = t.app.running.database;
    const ids = inserted.map((r) => r.id);
    for (const holder of holders) {
      const inSql = await db
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(inArray(tasks.id, ids), activeClaimSql(tasks, sql`${holder}::uuid`)));
      const expected = inserted.filter((r) => isActiveClaimOf(r, holder)).map((r) => r.id);
      expect(inSql.map((r) => r.id).sort()).toEqual(expected.sort());
      expect(expected.length).toBeGreaterThan(0);
      // What the claim statement reads: the count the triggers keep (the commune's only tasks are these).
      const [counted] = await db
        .select({ active: communeClaimCounts.active })
        .from(communeClaimCounts)
        .where(eq(communeClaimCounts.communeId, holder));
      expect(counted?.active).toBe(expected.length);
    }
  });

  it('keep the count of active claims through every kind of write: update, move, delete', async () => {
    const { inserted, holders } = await insertEveryClaim();
    const [a, b] = holders as [string, string];
    const { db } = t.app.running.database;
    const ids = inserted.map((r) => r.id);
    const check = async () => {
      const rows = await db.select().from(tasks).where(inArray(tasks.id, ids));
      for (const holder of holders) {
        const [counted] = await db
          .select({ active: communeClaimCounts.active })
          .from(communeClaimCounts)
          .where(eq(communeClaimCounts.communeId, holder));
        expect({ holder, active: counted?.active }).toEqual({
          holder,
          active: rows.filter((r) => isActiveClaimOf(r, holder)).length,
        });
      }
    };
    // Statuses change, a holder's claims move to the other, some rows go.
    await db
      .update(tasks)
      .set({ status: 'in_progress' })
      .where(and(inArray(tasks.id, ids), eq(tasks.status, 'open')));
    await check();
    await db
      .update(tasks)
      .set({ claimedByCommuneId: b })
      .where(and(inArray(tasks.id, ids), eq(tasks.claimedByCommuneId, a)));
    await check();
    await db
      .update(tasks)
      .set({ status: 'done' })
      .where(and(inArray(tasks.id, ids), eq(tasks.status, 'claimed')));
    await check();
    // Into waiting_info and out of it again: still an active claim both ways.
    await db
      .update(tasks)
      .set({ status: 'waiting_info', waitingFrom: 'in_progress', waitingSince: now, question: '?' })
      .where(and(inArray(tasks.id, ids), eq(tasks.status, 'in_progress')));
    await check();
    await db
      .update(tasks)
      .set({ status: 'in_progress', waitingFrom: null, waitingSince: null, question: null })
      .where(and(inArray(tasks.id, ids), eq(tasks.status, 'waiting_info'), eq(tasks.claimedByCommuneId, b)));
    await check();
    await db
      .update(tasks)
      .set({ status: 'cancelled', waitingFrom: null, waitingSince: null, question: null })
      .where(and(inArray(tasks.id, ids), eq(tasks.status, 'waiting_info')));
    await check();
    await db.delete(tasks).where(inArray(tasks.id, ids.slice(0, ids.length / 2)));
    await check();
  });

  it('agree on which claims have gone unstarted for a number of hours', async () => {
    const { inserted } = await insertEveryClaim();
    const ids = inserted.map((r) => r.id);
    const inSql = await t.app.running.database.db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(inArray(tasks.id, ids), unstartedForSql(tasks, sql`1`, sql`${now.toISOString()}::timestamptz`)));
    const expected = inserted.filter((r) => isUnstartedFor(r, 1, now)).map((r) => r.id);
    expect(inSql.map((r) => r.id).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(inserted.filter((r) => r.status === 'claimed').length);
  });

  it('lets a claim start from open only, as the life cycle says', () => {
    expect(TaskStatus.options.filter((s) => canMove(s, 'claim'))).toEqual([...lifecycle.claim]);
    expect(TaskStatus.options.filter((s) => canMove(s, 'complete'))).toEqual(['in_progress']);
    expect(TaskStatus.options.filter((s) => canMove(s, 'cancel'))).toEqual([
      'open',
      'claimed',
      'in_progress',
      'waiting_info',
    ]);
    expect(TaskStatus.options.filter((s) => canMove(s, 'question'))).toEqual(['claimed', 'in_progress']);
    expect(TaskStatus.options.filter((s) => canMove(s, 'answer'))).toEqual(['waiting_info']);
  });

  it('never calls a task waiting on its answer overdue, and counts it as an active claim, in both forms', () => {
    const late = { dueAt: new Date(now.getTime() - HOUR), status: 'waiting_info' as const };
    expect(isOverdue(late, now.getTime())).toBe(false);
    expect(isOverdue({ ...late, status: 'in_progress' }, now.getTime())).toBe(true);
    expect(isActiveClaimOf({ status: 'waiting_info', claimedByCommuneId: 'a' }, 'a')).toBe(true);
  });
});
