import { and, count, eq } from 'drizzle-orm';
import { events } from '../../server/db/schema';
import { makeCommune, makeRegion, makeUser, postTask, type TestUser } from '../factories';
import { drivers, metricsText } from '../helpers/test-app';
import { useTestApp } from '../helpers/use-test-app';

describe.each(drivers)('simultaneous claims on %s', (driver) => {
  const t = useTestApp(driver);

  it('lets exactly one of 60 simultaneous claims from six communes win; the 59 others get 409 naming the holder', async () => {
    const region = await makeRegion(t.app);
    const stricken = await makeCommune(t.app, region.id, 'Liège-test');
    const manager = await makeUser(t.app, 'manager', { communeId: stricken.id });
    const communes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => makeCommune(t.app, region.id, `Helper ${i}`)),
    );
    const clerks: TestUser[] = await Promise.all(communes.map((c) => makeUser(t.app, 'clerk', { communeId: c.id })));
    const task = await postTask(manager);

    const attempts = clerks.flatMap((clerk) => Array.from({ length: 10 }, () => clerk));
    const responses = await Promise.all(attempts.map((clerk) => clerk.agent.post(`/api/v1/tasks/${task.id}/claim`)));

    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(59);
    const winner = winners[0];
    const holder = communes.find((c) => c.id === winner?.body.claimedByCommuneId);
    expect(holder).toBeDefined();
    for (const loser of losers) {
      expect(loser.body.code).toBe('already_claimed');
      expect(loser.body.detail).toBe(`${holder?.name} claimed this task first.`);
      expect(loser.body.current.claimedByCommuneId).toBe(holder?.id);
    }
    const [claims] = await t.app.running.database.db
      .select({ n: count() })
      .from(events)
      .where(and(eq(events.taskId, task.id), eq(events.action, 'claim')));
    expect(claims?.n).toBe(1);
    const seen = await manager.agent.get(`/api/v1/tasks/${task.id}`);
    expect(seen.body).toMatchObject({ status: 'claimed', version: 2, claimedByCommuneId: holder?.id });

    const metrics = await metricsText(t.app);
    expect(metrics).toMatch(/^entraide_claims_total 1$/m);
    expect(metrics).toMatch(/^entraide_claim_conflicts_total 59$/m);
  });
});
