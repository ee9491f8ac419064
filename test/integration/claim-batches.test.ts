import { clerkActor } from '../actors';
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { Client } from 'pg';
import { events } from '../../server/db/schema';
import { claimOpenTasks, type Claim } from '../../server/resources/tasks/tasks-repo';
import { ClaimBatcher } from '../../server/resources/tasks/claim-batcher';
import { claimTask } from '../../server/resources/tasks/task-claims';
import { makeWorld, postTask, type TestUser, type World } from '../factories';
import { drivers, metricsText, type TestApp } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

const clerk = clerkActor;

/** The claim statements run so far, and the claims they took: from the app's own metrics. */
async function batches(app: TestApp): Promise<{ statements: number; claims: number }> {
  const text = await metricsText(app);
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { statements: value('entraide_claim_batch_size_count'), claims: value('entraide_claim_batch_size_sum') };
}

async function claimEvents(app: TestApp, taskId: string) {
  return app.running.database.db
    .select({ actorUserId: events.actorUserId, actorCommuneId: events.actorCommuneId })
    .from(events)
    .where(and(eq(events.taskId, taskId), eq(events.action, 'claim')));
}

describe.each(drivers)('claims batched into one statement on %s', (driver) => {
  const t = useTestApp(driver);
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(t.app);
  });

  it('answers each claim of a batch as it would answer it alone', async () => {
    const [first, second, third] = await Promise.all([postTask(w.manager), postTask(w.manager), postTask(w.manager)]);
    const ctx = t.app.running.ctx;
    const before = await batches(t.app);

    // All in the same turn of the event loop, so all in one statement.
    const outcomes = await Promise.allSettled([
      claimTask(ctx, clerk(w.strickenClerk, w.region.id), first.id), // its own commune's task: refused, and no bar to the next
      claimTask(ctx, clerk(w.clerk, w.region.id), first.id), // wins
      claimTask(ctx, clerk(w.clerk2, w.region.id), first.id), // loses to the claim before it
      claimTask(ctx, clerk(w.clerk2, w.region.id), second.id), // wins
      claimTask(ctx, clerk(w.foreignClerk, w.otherRegion.id), third.id), // another region's task: not found
      claimTask(ctx, clerk(w.clerk, w.region.id), crypto.randomUUID()), // no such task
      claimTask(ctx, clerk(w.clerk, w.region.id), third.id), // wins
    ]);

    const after = await batches(t.app);
    expect(after).toEqual({ statements: before.statements + 1, claims: before.claims + 7 });
    const [ownTask, won, lost, wonSecond, foreign, missing, wonThird] = outcomes;
    expect(ownTask).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(won).toMatchObject({
      status: 'fulfilled',
      value: { id: first.id, status: 'claimed', version: 2, claimedByCommuneId: w.helper.id },
    });
    expect(lost).toMatchObject({
      status: 'rejected',
      reason: {
        code: 'already_claimed',
        message: `${w.helper.name} claimed this task first.`,
        current: { id: first.id, claimedByCommuneId: w.helper.id },
      },
    });
    expect(wonSecond).toMatchObject({
      status: 'fulfilled',
      value: { id: second.id, claimedByCommuneId: w.helper2.id },
    });
    expect(foreign).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    expect(wonThird).toMatchObject({ status: 'fulfilled', value: { id: third.id, claimedByCommuneId: w.helper.id } });

    // One claim event per claimed task, naming its own claimant.
    expect(await claimEvents(t.app, first.id)).toEqual([{ actorUserId: w.clerk.id, actorCommuneId: w.helper.id }]);
    expect(await claimEvents(t.app, second.id)).toEqual([{ actorUserId: w.clerk2.id, actorCommuneId: w.helper2.id }]);
    expect(await claimEvents(t.app, third.id)).toEqual([{ actorUserId: w.clerk.id, actorCommuneId: w.helper.id }]);
    const seen = await w.manager.agent.get(`/api/v1/tasks/${first.id}`);
    expect(seen.body).toMatchObject({ status: 'claimed', version: 2, claimedByCommuneId: w.helper.id });
  });

  it('puts all the claims on a task in one statement when they fill more than one', async () => {
    const [first, second, third] = await Promise.all([postTask(w.manager), postTask(w.manager), postTask(w.manager)]);
    const statements: string[][] = [];
    const claims = new ClaimBatcher(t.app.running.database.db, {
      maxBatch: 2,
      onBatch: (batch) => statements.push(batch.map((c) => c.taskId)),
    });
    const as = (user: TestUser, taskId: string) =>
      claims.claim({ taskId, regionId: w.region.id, communeId: user.communeId ?? '', userId: user.id });
    const outcomes = await Promise.all([
      as(w.clerk, first.id),
      as(w.clerk, second.id),
      as(w.clerk2, first.id),
      as(w.clerk2, third.id),
    ]);
    // Two statements of two, each task's claims together: not [first, second] then [first, third].
    expect(statements).toEqual([
      [first.id, first.id],
      [second.id, third.id],
    ]);
    expect(outcomes.map((o) => o?.won)).toEqual([true, true, false, true]);
    expect(outcomes[2]).toMatchObject({
      won: false,
      holderName: w.helper.name,
      task: { claimedByCommuneId: w.helper.id },
    });
  });

  it('claims even when what watches the statements (the metrics) fails', async () => {
    const task = await postTask(w.manager);
    const claims = new ClaimBatcher(t.app.running.database.db, {
      onBatch: () => {
        throw new Error('metrics down');
      },
    });
    const outcome = await claims.claim({
      taskId: task.id,
      regionId: w.region.id,
      communeId: w.helper.id,
      userId: w.clerk.id,
    });
    expect(outcome).toMatchObject({ won: true, task: { id: task.id, claimedByCommuneId: w.helper.id } });
  });

  it('sends a lone claim on its own, at once', async () => {
    const task = await postTask(w.manager);
    const before = await batches(t.app);
    const res = await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`);
    expect(res.status).toBe(200);
    expect(await batches(t.app)).toEqual({ statements: before.statements + 1, claims: before.claims + 1 });
  });
});

/** Waits until `n` statements of this database wait for a lock. */
async function lockWaits(watcher: Client, n: number): Promise<void> {
  for (;;) {
    const { rows } = await watcher.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if ((rows[0]?.n ?? 0) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Only the server has other connections to hold locks from (PGlite runs one statement at a time).
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0)
  describe.each(servers)('deadlocks on %s', (driver) => {
    const t = useTestApp(driver);

    it('do not happen between two statements that claim the same tasks, whatever their claims', async () => {
      const w = await makeWorld(t.app);
      const [a, b] = await Promise.all([postTask(w.manager), postTask(w.manager)]);
      const [low, high] = [a.id, b.id].sort() as [string, string];
      const as = (user: TestUser, taskId: string): Claim => ({
        taskId,
        regionId: w.region.id,
        communeId: user.communeId ?? '',
        userId: user.id,
      });
      const { db } = t.app.running.database;
      const other = new Client({ connectionString: t.app.config.databaseUrl });
      await other.connect();
      try {
        // Both statements queue behind this transaction for `low`, the first in line first.
        await other.query('begin');
        await other.query('select id from tasks where id = $1 for update', [low]);
        const first = claimOpenTasks(db, [as(w.clerk, low), as(w.clerk, high)]);
        await lockWaits(other, 1);
        // The second names `low` only in a claim it may not make (its own commune's task): it must
        // still take that task's lock in the same order as the first, or, the first holding `low` and
        // waiting for `high`, the two would wait for each other.
        const second = claimOpenTasks(db, [as(w.clerk2, high), as(w.strickenClerk, low)]);
        await lockWaits(other, 2);
        await other.query('commit');
        const [firstOutcomes, secondOutcomes] = await Promise.all([first, second]);
        expect(firstOutcomes.map((o) => o?.won)).toEqual([true, true]);
        expect(secondOutcomes).toMatchObject([
          { won: false, holderName: w.helper.name, task: { id: high, claimedByCommuneId: w.helper.id } },
          { won: false, task: { id: low, claimedByCommuneId: w.helper.id } },
        ]);
      } finally {
        await other.end();
      }
    });

    it('roll a batch back, and its claims run again one by one: both win', async () => {
      const w = await makeWorld(t.app);
      const [a, b] = await Promise.all([postTask(w.manager), postTask(w.manager)]);
      // The batch locks its tasks in the order of their ids.
      const [low, high] = [a.id, b.id].sort();
      const other = new Client({ connectionString: t.app.config.databaseUrl });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select id from tasks where id = $1 for update', [high]);
        const ctx = t.app.running.ctx;
        const claims = Promise.allSettled([
          claimTask(ctx, clerk(w.clerk, w.region.id), low!),
          claimTask(ctx, clerk(w.clerk2, w.region.id), high!),
        ]);
        // The batch holds `low` and waits for `high`; taking `low` now closes the circle.
        await lockWaits(other, 1);
        // PostgreSQL finds the deadlock in the batch, which has waited longer, and rolls it back; this
        // transaction then gets `low`, and the claims, run again one by one, wait for it to end.
        await other.query('select id from tasks where id = $1 for update', [low]);
        await other.query('commit');
        const [first, second] = await claims;
        expect(first).toMatchObject({
          status: 'fulfilled',
          value: { id: low, status: 'claimed', claimedByCommuneId: w.helper.id },
        });
        expect(second).toMatchObject({
          status: 'fulfilled',
          value: { id: high, status: 'claimed', claimedByCommuneId: w.helper2.id },
        });
      } finally {
        await other.end();
      }
      const metrics = await metricsText(t.app);
      expect(metrics).toMatch(/^entraide_claim_batch_splits_total 1$/m);
      expect(await claimEvents(t.app, low!)).toHaveLength(1);
      expect(await claimEvents(t.app, high!)).toHaveLength(1);
    });
  });
