import { count, eq } from 'drizzle-orm';
import { auditLog, regionSettings } from '../../server/db/schema';
import { drivers, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

async function settingsWrites(app: TestApp) {
  const db = app.running.database.db;
  const [audit] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.kind, 'settings_changed'));
  const rows = await db.select().from(regionSettings);
  return { audit: audit?.n, rows };
}

describe.each(drivers)('region coordination settings on %s', (driver) => {
  const t = useWorld(driver);
  const path = () => `/api/v1/regions/${t.w.region.id}/settings`;

  it('asks for a session', async () => {
    expect((await t.app.anonymous().get(path())).status).toBe(401);
    expect((await t.app.anonymous().patch(path()).send({ staleClaimHours: 5 })).status).toBe(401);
  });

  it('refuses values out of bounds with the field and its bounds, changing nothing', async () => {
    const before = await settingsWrites(t.app);
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { maxActiveClaimsPerCommune: 0 },
        'maxActiveClaimsPerCommune',
        'must be a whole number of claims from 1 to 10000',
      ],
      [
        { maxActiveClaimsPerCommune: 10_001 },
        'maxActiveClaimsPerCommune',
        'must be a whole number of claims from 1 to 10000',
      ],
      [{ transferTimeoutMinutes: 4 }, 'transferTimeoutMinutes', 'must be a whole number of minutes from 5 to 10080'],
      [
        { transferTimeoutMinutes: 10_081 },
        'transferTimeoutMinutes',
        'must be a whole number of minutes from 5 to 10080',
      ],
      [{ staleClaimHours: 721 }, 'staleClaimHours', 'must be a whole number of hours from 1 to 720'],
      [{ remindAfterHours: 1.5 }, 'remindAfterHours', 'must be a whole number of hours from 1 to 720'],
      [{ remindAfterHours: '4' }, 'remindAfterHours', 'must be a whole number of hours from 1 to 720'],
    ];
    for (const [body, field, message] of cases) {
      // A valid setting beside the bad one is not applied either.
      const res = await t.w.coordinator.agent.patch(path()).send({ transferTimeoutMinutes: 60, ...body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.errors).toEqual([expect.objectContaining({ field, message })]);
    }
    const unknown = await t.w.coordinator.agent.patch(path()).send({ cap: 3 });
    expect(unknown.status).toBe(400);
    expect(await settingsWrites(t.app)).toEqual(before);
  });

  it("lets the region's coordinator alone change them; others of the region read; other regions get 404", async () => {
    for (const user of [t.w.clerk, t.w.manager]) {
      expect((await user.agent.patch(path()).send({ staleClaimHours: 5 })).status).toBe(403);
    }
    expect((await t.w.dpo.agent.get(path())).status).toBe(403);
    expect((await t.w.admin.agent.get(path())).status).toBe(403);
    expect((await t.w.foreignCoordinator.agent.patch(path()).send({ staleClaimHours: 5 })).status).toBe(404);
    expect((await t.w.foreignClerk.agent.get(path())).status).toBe(404);
    const read = await t.w.clerk.agent.get(path()).expect(200);
    expect(read.body).toMatchObject({ regionId: t.w.region.id, canChange: false, history: [] });
  });

  it('starts at the defaults, records each change from what to what, and goes back to a default with null', async () => {
    const initial = await t.w.coordinator.agent.get(path()).expect(200);
    expect(initial.body).toMatchObject({
      maxActiveClaimsPerCommune: 50,
      transferTimeoutMinutes: 120,
      staleClaimHours: 24,
      remindAfterHours: 4,
      regional: [],
      canChange: true,
      history: [],
    });
    const changed = await t.w.coordinator.agent
      .patch(path())
      .send({ maxActiveClaimsPerCommune: 80, remindAfterHours: 4, staleClaimHours: 48 })
      .expect(200);
    expect(changed.body).toMatchObject({
      maxActiveClaimsPerCommune: 80,
      staleClaimHours: 48,
      remindAfterHours: 4,
      regional: ['maxActiveClaimsPerCommune', 'staleClaimHours', 'remindAfterHours'],
    });
    expect(changed.body.history).toHaveLength(1);
    expect(changed.body.history[0]).toMatchObject({
      byUserId: t.w.coordinator.id,
      byName: expect.stringContaining('coordinator'),
      changes: [
        { setting: 'maxActiveClaimsPerCommune', from: null, to: 80 },
        { setting: 'staleClaimHours', from: null, to: 48 },
        { setting: 'remindAfterHours', from: null, to: 4 },
      ],
    });
    // The same values again change nothing and record nothing.
    const same = await t.w.coordinator.agent.patch(path()).send({ maxActiveClaimsPerCommune: 80 }).expect(200);
    expect(same.body.history).toHaveLength(1);
    const reset = await t.w.coordinator.agent.patch(path()).send({ maxActiveClaimsPerCommune: null }).expect(200);
    expect(reset.body).toMatchObject({
      maxActiveClaimsPerCommune: 50,
      regional: ['staleClaimHours', 'remindAfterHours'],
    });
    expect(reset.body.history[0].changes).toEqual([{ setting: 'maxActiveClaimsPerCommune', from: 80, to: null }]);
    // The region's DPO finds the changes in the audit trail; the other region's settings are untouched.
    const trail = await t.w.dpo.agent.get('/api/v1/audit?kind=settings_changed').expect(200);
    expect(
      trail.body.items.filter((e: { detail: { area?: string } }) => e.detail.area === 'coordination'),
    ).toHaveLength(2);
    const foreign = await t.w.foreignCoordinator.agent.get(`/api/v1/regions/${t.w.otherRegion.id}/settings`);
    expect(foreign.body).toMatchObject({ staleClaimHours: 24, regional: [], history: [] });
  });

  it('shares its row with the data protection settings without either disturbing the other', async () => {
    const dp = `/api/v1/regions/${t.w.region.id}/data-protection`;
    await t.w.dpo.agent.patch(dp).send({ citizenRetentionDays: 12 }).expect(200);
    await t.w.coordinator.agent.patch(path()).send({ transferTimeoutMinutes: 30 }).expect(200);
    expect((await t.w.dpo.agent.get(dp)).body).toMatchObject({ citizenRetentionDays: 12, regional: true });
    await t.w.dpo.agent.patch(dp).send({ citizenRetentionDays: null }).expect(200);
    expect((await t.w.coordinator.agent.get(path())).body).toMatchObject({ transferTimeoutMinutes: 30 });
  });
});
