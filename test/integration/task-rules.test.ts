import crypto from 'node:crypto';
import { and, inArray, sql } from 'drizzle-orm';
import { TaskStatus } from '../../shared/schemas';
import { generateTaskCode } from '../../shared/task-code';
import { tasks } from '../../server/db/schema';
import {
  canMove,
  claimableSql,
  isClaimableBy,
  isOverdue,
  lifecycle,
  overdueSql,
} from '../../server/resources/tasks/task-rules';
import { makeCommune, makeRegion } from '../factories';
import { drivers } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

const now = new Date('2026-11-27T12:00:00.000Z');
const dueOffsets = [-86_400_000, -1, 0, 1, 86_400_000];

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
          dueAt: new Date(now.getTime() + offset),
          code: generateTaskCode(commune.taskCodePrefix, (n) => crypto.randomInt(n)),
          searchText: '',
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

  it('lets a claim start from open only, as the life cycle says', () => {
    expect(TaskStatus.options.filter((s) => canMove(s, 'claim'))).toEqual([...lifecycle.claim]);
    expect(TaskStatus.options.filter((s) => canMove(s, 'complete'))).toEqual(['in_progress']);
    expect(TaskStatus.options.filter((s) => canMove(s, 'cancel'))).toEqual(['open', 'claimed', 'in_progress']);
  });
});
