import { and, eq } from 'drizzle-orm';
import { auditLog, statements } from '../../server/db/schema';
import { makeCommune, makeUser, makeWorld, postTask, type TestUser, type World } from '../factories';
import { DAY, HOUR, ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

interface Line {
  helperCommuneId: string;
  helpedCommuneId: string;
  taskType: string;
  tasks: number;
  minutes: number;
  amountCents: number;
}
/** Lines in a set order, with the fields compared (communes are ordered by name, and collations differ). */
const byKey = (lines: Line[]) =>
  lines
    .map(({ helperCommuneId, helpedCommuneId, taskType, tasks, minutes, amountCents }) => ({
      helperCommuneId,
      helpedCommuneId,
      taskType,
      tasks,
      minutes,
      amountCents,
    }))
    .sort((a, b) =>
      `${a.helperCommuneId}${a.helpedCommuneId}${a.taskType}`.localeCompare(
        `${b.helperCommuneId}${b.helpedCommuneId}${b.taskType}`,
      ),
    );

describe.each(drivers)('cost statements on %s', (driver) => {
  let app: TestApp;
  let w: World;
  let helperManager: TestUser;
  let formulaClerk: TestUser;
  let formulaName: string;
  const ids: Record<string, string> = {};
  // 11:00 in Brussels on 10 March 2026.
  const clock = new ManualClock(Date.parse('2026-03-10T10:00:00Z'));

  /** A task of `manager`'s commune done by `clerk`, now by the clock, in the minutes given (or the usual). */
  async function done(manager: TestUser, clerk: TestUser, type: string, minutesSpent?: number) {
    const task = await postTask(manager, { type });
    await clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    await clerk.agent
      .post(`/api/v1/tasks/${task.id}/complete`)
      .send({ version: 3, ...(minutesSpent ? { minutesSpent } : {}) })
      .expect(200);
    return task.id;
  }

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
    helperManager = await makeUser(app, 'manager', { communeId: w.helper.id });
    formulaName = `=HYPERLINK("http://x.invalid","${Date.now()}")`;
    const formula = await makeCommune(app, w.region.id, formulaName);
    formulaClerk = await makeUser(app, 'clerk', { communeId: formula.id });
    ids.formula = formula.id;
    // On 10 March (Brussels): the work the statement counts.
    ids.t1 = await done(w.manager, w.clerk, 'certificat_residence'); // 15 min, the usual
    ids.t2 = await done(w.manager, w.clerk, 'certificat_residence', 20);
    await done(w.manager, w.clerk, 'rdv_carte_identite'); // 30 min
    await done(w.manager, w.clerk2, 'extrait_acte_naissance', 45);
    await done(helperManager, w.clerk2, 'certificat_residence'); // 15 min
    await done(w.manager, formulaClerk, 'legalisation_signature'); // 10 min
    // Claimed, not done: not counted.
    const claimedOnly = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${claimedOnly.id}/claim`).expect(200);
    // 00:30 on 11 March in Brussels, still the 10th in UTC: the next day's work.
    clock.advance(13 * HOUR + 30 * 60_000);
    ids.nextDay = await done(w.manager, w.clerk, 'certificat_residence', 50);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('refuses a rate or a period that makes no sense, and writes nothing', async () => {
    const before = await writeCounts(app);
    for (const hourlyRateCents of [-1, 100_001, 12.5, '4500']) {
      const res = await w.coordinator.agent.put('/api/v1/reports/rate').send({ hourlyRateCents });
      expect({ hourlyRateCents, status: res.status }).toEqual({ hourlyRateCents, status: 400 });
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          field: 'hourlyRateCents',
          message: 'must be a whole number of euro cents from 0 to 100000',
        }),
      ]);
    }
    const reversed = await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-03-10&to=2026-03-09');
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([
      expect.objectContaining({ field: 'to', message: 'must not be before from', code: 'period_reversed' }),
    ]);
    const long = await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-01-01&to=2027-01-02');
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([
      expect.objectContaining({
        field: 'to',
        message: 'must be at most 366 days from from, both included',
        code: 'period_too_long',
        // The figure the browser puts in its own words ("{max} jours").
        params: { max: 366 },
      }),
    ]);
    expect((await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-01-01&to=2027-01-01')).status).toBe(200);
    expect((await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-03-01')).status).toBe(400);
    for (const body of [
      { from: '2026-03-10', to: '2026-03-01' },
      { from: '2025-01-01', to: '2026-03-01' },
      { from: '2026-03-01' },
      { from: '2026-03-01', to: '2026-03-02', extra: true },
    ]) {
      const res = await w.coordinator.agent.post('/api/v1/reports/statements').send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(await writeCounts(app)).toEqual(before);
    const rate = await w.coordinator.agent.get('/api/v1/reports/rate').expect(200);
    expect(rate.body).toEqual({
      regionId: w.region.id,
      hourlyRateCents: 0,
      currency: 'EUR',
      set: false,
      updatedAt: null,
    });
  });

  it('counts, per helping and helped commune and type, the tasks done in the period at the region’s rate', async () => {
    const set = await w.coordinator.agent.put('/api/v1/reports/rate').send({ hourlyRateCents: 4999 }).expect(200);
    expect(set.body).toMatchObject({ hourlyRateCents: 4999, set: true });
    // Each region its own rate.
    expect((await w.foreignCoordinator.agent.get('/api/v1/reports/rate')).body.hourlyRateCents).toBe(0);

    const res = await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-03-01&to=2026-03-10').expect(200);
    expect(res.body).toMatchObject({
      regionId: w.region.id,
      from: '2026-03-01',
      to: '2026-03-10',
      timeZone: 'Europe/Brussels',
      hourlyRateCents: 4999,
      currency: 'EUR',
      closed: null,
    });
    const line = (
      helper: string,
      helped: string,
      taskType: string,
      tasks: number,
      minutes: number,
      amountCents: number,
    ) => ({ helperCommuneId: helper, helpedCommuneId: helped, taskType, tasks, minutes, amountCents });
    // Each line's amount is rounded to the cent: 35 min at 49.99 €/h is 29.1608… €.
    expect(byKey(res.body.lines)).toEqual(
      byKey([
        line(w.helper.id, w.stricken.id, 'certificat_residence', 2, 35, 2916),
        line(w.helper.id, w.stricken.id, 'rdv_carte_identite', 1, 30, 2500),
        line(w.helper2.id, w.stricken.id, 'extrait_acte_naissance', 1, 45, 3749),
        line(w.helper2.id, w.helper.id, 'certificat_residence', 1, 15, 1250),
        line(ids.formula ?? '', w.stricken.id, 'legalisation_signature', 1, 10, 833),
      ]),
    );
    expect(res.body.pairs).toHaveLength(4);
    expect(res.body.pairs).toContainEqual(
      expect.objectContaining({
        helperCommuneId: w.helper.id,
        helpedCommuneId: w.stricken.id,
        tasks: 3,
        minutes: 65,
        amountCents: 5416,
      }),
    );
    expect(res.body.totals).toEqual({ tasks: 6, minutes: 135, amountCents: 11248 });
    // The next day (Brussels) has the task done at 00:30.
    const nextDay = await w.coordinator.agent
      .get('/api/v1/reports/statement?from=2026-03-11&to=2026-03-11')
      .expect(200);
    expect(nextDay.body.totals).toEqual({ tasks: 1, minutes: 50, amountCents: 4166 });
    // Names and counts only: no citizen, no title.
    expect(JSON.stringify(res.body)).not.toMatch(/Jeanne|85\.07|Certificat [0-9a-f]/);
  });

  it('answers CSV with formulas escaped, on format=csv or Accept: text/csv', async () => {
    for (const res of [
      await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-03-01&to=2026-03-10&format=csv'),
      await w.coordinator.agent
        .get('/api/v1/reports/statement?from=2026-03-01&to=2026-03-10')
        .set('Accept', 'text/csv'),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(lines[0]).toBe(
        'period_from,period_to,helper_commune,helped_commune,task_type,tasks,minutes,hourly_rate_eur,amount_eur,signed_off_by,signed_off_at',
      );
      expect(lines).toContain(
        `2026-03-01,2026-03-10,${w.helper.name},${w.stricken.name},certificat_residence,2,35,49.99,29.16,,`,
      );
      expect(lines[lines.length - 1]).toBe('2026-03-01,2026-03-10,TOTAL,,,6,135,49.99,112.48,,');
      expect(res.text).not.toMatch(/[,"]=HYPERLINK/);
      expect(res.text).toContain(`"'=HYPERLINK(`);
      expect(lines).toHaveLength(7);
    }
  });

  it('closes a statement once its period has ended: frozen, signed off, on the audit trail, minutes locked', async () => {
    // The 10th has not ended yet in Brussels (it is 00:30 on the 11th): the 11th has not.
    const early = await w.coordinator.agent
      .post('/api/v1/reports/statements')
      .send({ from: '2026-03-01', to: '2026-03-11' });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'period_not_ended' })]);

    const closed = await w.coordinator.agent
      .post('/api/v1/reports/statements')
      .send({ from: '2026-03-01', to: '2026-03-10' })
      .expect(201);
    const coordinatorName = `coordinator ${w.coordinator.username}`;
    expect(closed.body).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-10',
      hourlyRateCents: 4999,
      totals: { tasks: 6, minutes: 135, amountCents: 11248 },
      closed: { closedAt: clock.now().toISOString(), closedById: w.coordinator.id, closedByName: coordinatorName },
    });
    const id = closed.body.closed.id as string;
    const [stored] = await app.running.database.db.select().from(statements).where(eq(statements.id, id));
    expect(stored).toMatchObject({ tasks: 6, minutes: 135, amountCents: 11248, hourlyRateCents: 4999 });
    const audit = await app.running.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.kind, 'statement_closed'), eq(auditLog.actorUserId, w.coordinator.id)));
    expect(audit.map((a) => a.detail)).toEqual([
      expect.objectContaining({ statementId: id, from: '2026-03-01', to: '2026-03-10', amountCents: 11248 }),
    ]);

    // Its tasks' minutes cannot change any more; the next day's can.
    const before = await writeCounts(app);
    const locked = await w.clerk.agent.patch(`/api/v1/tasks/${ids.t2}/time`).send({ version: 4, minutesSpent: 60 });
    expect({ status: locked.status, code: locked.body.code }).toEqual({ status: 409, code: 'statement_closed' });
    expect(await writeCounts(app)).toEqual(before);
    await w.clerk.agent.patch(`/api/v1/tasks/${ids.nextDay}/time`).send({ version: 4, minutesSpent: 55 }).expect(200);

    // A new rate does not reach a closed statement; the period's statement is the closed one.
    await w.coordinator.agent.put('/api/v1/reports/rate').send({ hourlyRateCents: 6000 }).expect(200);
    const again = await w.coordinator.agent.get('/api/v1/reports/statement?from=2026-03-01&to=2026-03-10').expect(200);
    expect(again.body).toMatchObject({ hourlyRateCents: 4999, totals: { amountCents: 11248 }, closed: { id } });
    expect(byKey(again.body.lines)).toEqual(byKey(closed.body.lines));
    const csv = await w.coordinator.agent.get(`/api/v1/reports/statements/${id}?format=csv`).expect(200);
    expect(csv.text).toContain(`,TOTAL,,,6,135,49.99,112.48,${coordinatorName},${clock.now().toISOString()}`);
  });

  it('refuses a statement that shares a day with a closed one, and lists the closed ones to their region only', async () => {
    clock.advance(2 * DAY);
    const before = await writeCounts(app);
    const overlap = await w.coordinator.agent
      .post('/api/v1/reports/statements')
      .send({ from: '2026-03-10', to: '2026-03-11' });
    expect({ status: overlap.status, code: overlap.body.code }).toEqual({ status: 409, code: 'statement_overlap' });
    expect(overlap.body.current).toEqual([expect.objectContaining({ from: '2026-03-01', to: '2026-03-10' })]);
    expect(await writeCounts(app)).toEqual(before);

    const next = await w.coordinator.agent
      .post('/api/v1/reports/statements')
      .send({ from: '2026-03-11', to: '2026-03-11' })
      .expect(201);
    expect(next.body).toMatchObject({ hourlyRateCents: 6000, totals: { tasks: 1, minutes: 55, amountCents: 5500 } });

    const list = await w.coordinator.agent.get('/api/v1/reports/statements?limit=1').expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ from: '2026-03-11', to: '2026-03-11' })]);
    const rest = await w.coordinator.agent
      .get(`/api/v1/reports/statements?limit=1&cursor=${list.body.nextCursor as string}`)
      .expect(200);
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ from: '2026-03-01', to: '2026-03-10' })],
      nextCursor: null,
    });

    expect((await w.foreignCoordinator.agent.get('/api/v1/reports/statements')).body.items).toEqual([]);
    expect(
      (await w.foreignCoordinator.agent.get(`/api/v1/reports/statements/${next.body.closed.id as string}`)).status,
    ).toBe(404);
    const one = await w.coordinator.agent
      .get(`/api/v1/reports/statements/${next.body.closed.id as string}`)
      .expect(200);
    expect(one.body.lines).toEqual([
      expect.objectContaining({ helperCommuneId: w.helper.id, taskType: 'certificat_residence', minutes: 55 }),
    ]);
  });
});
