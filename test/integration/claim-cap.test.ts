import { clerkActor } from '../actors';
import { and, count, eq, inArray } from 'drizzle-orm';
import { Client } from 'pg';
import type { Actor } from '../../server/core/actor';
import { tasks } from '../../server/db/schema';
import { claimTask } from '../../server/resources/tasks/task-claims';
import { claimOpenTasks } from '../../server/resources/tasks/tasks-repo';
import { makeCommune, makeUser, makeWorld, postTask, type TestUser, type World } from '../factories';
import { drivers, metricsText, startSecondInstance, type TestApp } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

const clerk = clerkActor;

async function activeClaims(app: TestApp, communeId: string): Promise<number> {
  const [row] = await app.running.database.db
    .select({ n: count() })
    .from(tasks)
    .where(and(eq(tasks.claimedByCommuneId, communeId), inArray(tasks.status, ['claimed', 'in_progress'])));
  return row?.n ?? -1;
}

async function statementsRun(app: TestApp): Promise<number> {
  const text = await metricsText(app);
  return Number(/^entraide_claim_batch_size_count (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** Six clerks of one new helping commune of the world's region. */
async function helpingCommune(app: TestApp, w: World) {
  const commune = await makeCommune(app, w.region.id, `Capped ${Math.random().toString(36).slice(2, 8)}`);
  const clerks = await Promise.all(Array.from({ length: 6 }, () => makeUser(app, 'clerk', { communeId: commune.id })));
  return { commune, clerks };
}

async function setCap(w: World, cap: number | null) {
  await w.coordinator.agent
    .patch(`/api/v1/regions/${w.region.id}/settings`)
    .send({ maxActiveClaimsPerCommune: cap })
    .expect(200);
}

describe.each(drivers)('the cap of active claims per commune on %s', (driver) => {
  const t = useTestApp(driver);
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(t.app);
  });

  it('lets exactly 50 of 60 simultaneous claims from one commune through, with the default cap of 50', async () => {
    await setCap(w, null);
    const { commune, clerks } = await helpingCommune(t.app, w);
    const posted = await Promise.all(Array.from({ length: 60 }, () => postTask(w.manager)));
    const responses = await Promise.all(
      posted.map((task, i) => (clerks[i % clerks.length] as TestUser).agent.post(`/api/v1/tasks/${task.id}/claim`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    const refused = responses.filter((r) => r.status === 409);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.body).toMatchObject({
        code: 'claim_cap',
        cap: 50,
        active: 50,
        detail:
          'Your commune already holds 50 active claims, and the region allows 50 at most: ' +
          'start, finish or release one before claiming another.',
      });
    }
    expect(await activeClaims(t.app, commune.id)).toBe(50);
    // The refused tasks are still open, for another commune.
    const other = await w.clerk.agent.post(
      `/api/v1/tasks/${posted[responses.findIndex((r) => r.status === 409)]?.id}/claim`,
    );
    expect(other.status).toBe(200);
  });

  it('keeps a batch of several communes to each one’s cap, and gives a capped claim’s task to the next claimant', async () => {
    await setCap(w, 2);
    const a = await helpingCommune(t.app, w);
    const b = await helpingCommune(t.app, w);
    const [held, t1, t2, t3, t4] = await Promise.all(Array.from({ length: 5 }, () => postTask(w.manager)));
    await a.clerks[0]?.agent.post(`/api/v1/tasks/${held?.id}/claim`).expect(200);
    const ctx = t.app.running.ctx;
    const [a1, a2, a3, b1, b2] = [a.clerks[0], a.clerks[1], a.clerks[2], b.clerks[0], b.clerks[1]].map((u) =>
      clerk(u as TestUser, w.region.id),
    ) as [Actor, Actor, Actor, Actor, Actor];
    const before = await statementsRun(t.app);
    const ids = [t1, t2, t3, t4].map((task) => task?.id ?? '');
    // All in one turn of the event loop: one statement. A has one active claim and room for one more.
    const outcomes = await Promise.allSettled([
      claimTask(ctx, a1, ids[0] ?? ''), // A's room: wins
      claimTask(ctx, a2, ids[0] ?? ''), // the same task for the same commune: already A's
      claimTask(ctx, a3, ids[1] ?? ''), // beyond A's cap
      claimTask(ctx, b1, ids[1] ?? ''), // after A's capped claim: wins the task
      claimTask(ctx, a1, ids[2] ?? ''), // beyond A's cap
      claimTask(ctx, b2, ids[3] ?? ''), // B's second: wins
    ]);
    expect(await statementsRun(t.app)).toBe(before + 1);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.claimedByCommuneId : o.reason.code))).toEqual([
      a.commune.id,
      'already_claimed',
      'claim_cap',
      b.commune.id,
      'claim_cap',
      b.commune.id,
    ]);
    expect(outcomes[2]).toMatchObject({ reason: { cap: 2, active: 2 } });
    expect(await activeClaims(t.app, a.commune.id)).toBe(2);
    expect(await activeClaims(t.app, b.commune.id)).toBe(2);
    const third = await w.manager.agent.get(`/api/v1/tasks/${ids[2]}`).expect(200);
    expect(third.body.status).toBe('open');
  });

  it('tries a capped claim again when a claim ranked before it lost its task to another commune', async () => {
    await setCap(w, 2);
    const a = await helpingCommune(t.app, w);
    const b = await helpingCommune(t.app, w);
    const [t1, t2, t3] = await Promise.all(Array.from({ length: 3 }, () => postTask(w.manager)));
    const ctx = t.app.running.ctx;
    const before = await statementsRun(t.app);
    const outcomes = await Promise.allSettled([
      claimTask(ctx, clerk(b.clerks[0] as TestUser, w.region.id), t1?.id ?? ''), // B first: wins t1
      claimTask(ctx, clerk(a.clerks[0] as TestUser, w.region.id), t1?.id ?? ''), // A ranks it, and loses it
      claimTask(ctx, clerk(a.clerks[1] as TestUser, w.region.id), t2?.id ?? ''), // A: wins
      claimTask(ctx, clerk(a.clerks[2] as TestUser, w.region.id), t3?.id ?? ''), // ranked third, but A has room
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.claimedByCommuneId : o.reason.code))).toEqual([
      b.commune.id,
      'already_claimed',
      a.commune.id,
      a.commune.id,
    ]);
    // The fourth went again, in a statement of its own.
    expect(await statementsRun(t.app)).toBe(before + 2);
    expect(await activeClaims(t.app, a.commune.id)).toBe(2);
  });

  it('blocks new claims when the cap is lowered below what a commune holds, and releases nothing', async () => {
    await setCap(w, 5);
    const a = await helpingCommune(t.app, w);
    const held = await Promise.all(Array.from({ length: 3 }, () => postTask(w.manager)));
    for (const task of held) await a.clerks[0]?.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await a.clerks[0]?.agent.post(`/api/v1/tasks/${held[0]?.id}/start`).send({ version: 2 }).expect(200);
    await setCap(w, 2);
    const next = await postTask(w.manager);
    const refused = await a.clerks[1]?.agent.post(`/api/v1/tasks/${next.id}/claim`);
    expect(refused?.status).toBe(409);
    expect(refused?.body).toMatchObject({ code: 'claim_cap', cap: 2, active: 3 });
    expect(await activeClaims(t.app, a.commune.id)).toBe(3);
    // Releasing one leaves two: still at the cap. Releasing a second makes room.
    await a.clerks[0]?.agent.post(`/api/v1/tasks/${held[1]?.id}/release`).send({ version: 2, reason: 'Trop' });
    expect((await a.clerks[1]?.agent.post(`/api/v1/tasks/${next.id}/claim`))?.body.code).toBe('claim_cap');
    await a.clerks[0]?.agent.post(`/api/v1/tasks/${held[2]?.id}/release`).send({ version: 2, reason: 'Trop' });
    await a.clerks[1]?.agent.post(`/api/v1/tasks/${next.id}/claim`).expect(200);
    expect(await activeClaims(t.app, a.commune.id)).toBe(2);
  });
});

// Another connection holding a commune's claims uncommitted, and two instances: the server only.
const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0)
  describe.each(servers)('the cap under concurrent statements on %s', (driver) => {
    const t = useTestApp(driver);

    it('counts the claims another transaction of the same commune committed while this one waited', async () => {
      const w = await makeWorld(t.app);
      await setCap(w, 2);
      const [t1, t2, t3] = await Promise.all(Array.from({ length: 3 }, () => postTask(w.manager)));
      const other = new Client({ connectionString: t.app.config.databaseUrl });
      await other.connect();
      try {
        // Another transaction claims two tasks for the commune, uncommitted: it holds the commune's count.
        await other.query('begin');
        await other.query(
          "update tasks set status = 'claimed', claimed_by_commune_id = $1, claimed_at = now() where id = any($2::uuid[])",
          [w.helper.id, [t1?.id, t2?.id]],
        );
        const claim = claimOpenTasks(t.app.running.database.db, [
          { taskId: t3?.id ?? '', regionId: w.region.id, communeId: w.helper.id, userId: w.clerk.id },
        ]);
        for (;;) {
          const { rows } = await other.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
          );
          if ((rows[0]?.n ?? 0) >= 1) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await other.query('commit');
        const [outcome] = await claim;
        expect(outcome).toMatchObject({ won: false, capped: { cap: 2, active: 2 }, task: { status: 'open' } });
      } finally {
        await other.end();
      }
    });

    it('holds across two instances: 60 simultaneous claims of one commune, cap 50, exactly 50 claimed', async () => {
      const second = await startSecondInstance(t.app);
      try {
        const w = await makeWorld(t.app);
        await setCap(w, 50);
        const { commune, clerks } = await helpingCommune(t.app, w);
        const posted = await Promise.all(Array.from({ length: 60 }, () => postTask(w.manager)));
        // Half the clerks go through the second instance, with the same sessions.
        const responses = await Promise.all(
          posted.map((task, i) => {
            const user = clerks[i % clerks.length] as TestUser;
            const base = i % 2 === 0 ? t.app : second;
            return base.anonymous().post(`/api/v1/tasks/${task.id}/claim`).set('Cookie', user.cookie);
          }),
        );
        expect(responses.filter((r) => r.status === 200)).toHaveLength(50);
        expect(responses.filter((r) => r.status === 409 && r.body.code === 'claim_cap')).toHaveLength(10);
        expect(await activeClaims(t.app, commune.id)).toBe(50);
      } finally {
        await second.stop();
      }
    });
  });
