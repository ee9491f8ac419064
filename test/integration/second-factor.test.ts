import { and, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { connectErrors } from '../../shared/events';
import { auditLog, users } from '../../server/db/schema';
import { makeCommune, makeRegion, makeUser, PASSWORD, type TestUser } from '../factories';
import { ManualClock } from '../helpers/clock';
import { connectBoard } from '../helpers/sockets';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

const STEP = 30_000;

/** A code of the app, computed by the TOTP library from the secret the enrolment showed. */
const codeAt = (secret: string, at: Date) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });

/**
 * The TOTP second factor: enrolment, sign-in with a code or a recovery code, a code good once,
 * turning it off, the admin's reset (a recovery a second person confirms) and, with
 * REQUIRE_SECOND_FACTOR, nothing but enrolment for a coordinator, admin or DPO without one.
 */
describe.each(drivers)('second factor on %s', (driver) => {
  // Time steps move only when told: the clock starts a second into a step.
  const clock = new ManualClock(Math.floor(Date.now() / STEP) * STEP + 1_000);
  let app: TestApp;
  let regionId: string;
  let communeId: string;
  let admin: TestUser;

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    regionId = (await makeRegion(app)).id;
    communeId = (await makeCommune(app, regionId)).id;
    admin = await makeUser(app, 'admin');
  });
  afterAll(async () => {
    await app.stop();
  });

  const code = (secret: string, offsetSteps = 0) =>
    codeAt(secret, new Date(clock.now().getTime() + offsetSteps * STEP));
  const nextStep = () => clock.advance(STEP);
  const db = () => app.running.database.db;
  const lastStepOf = async (id: string) =>
    (await db().select({ step: users.totpLastStep }).from(users).where(eq(users.id, id)))[0]?.step;
  const auditKinds = async (id: string) =>
    (await db().select({ kind: auditLog.kind }).from(auditLog).where(eq(auditLog.subjectUserId, id))).map(
      (r) => r.kind,
    );

  /** A clerk with a second factor: its secret, and the recovery codes shown at enrolment. */
  async function enrolled(role: 'clerk' | 'coordinator' = 'clerk', target = app) {
    const user = await makeUser(target, role, role === 'clerk' ? { communeId } : { regionId });
    const enrolment = await user.agent.post('/api/v1/me/second-factor/enrolment').expect(200);
    const secret = enrolment.body.secret as string;
    const confirmed = await user.agent
      .post('/api/v1/me/second-factor/confirm')
      .send({ code: code(secret) })
      .expect(200);
    nextStep();
    return { user, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  /** Signs in with the password: answers the new session, halfway. */
  async function passwordStep(user: TestUser) {
    const agent = request.agent(app.url);
    const res = await agent
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD })
      .expect(200);
    expect(res.body).toEqual({ secondFactorRequired: true });
    return agent;
  }

  it('enrols with a QR code and a code of the app, and gives ten recovery codes once', async () => {
    const user = await makeUser(app, 'clerk', { communeId });
    expect((await user.agent.get('/api/v1/me/second-factor').expect(200)).body).toEqual({
      enabled: false,
      enrolledAt: null,
      required: false,
      recoveryCodesLeft: 0,
    });
    const early = await user.agent.post('/api/v1/me/second-factor/confirm').send({ code: '123456' });
    expect([early.status, early.body.code]).toEqual([409, 'no_enrolment']);

    const enrolment = await user.agent.post('/api/v1/me/second-factor/enrolment').expect(200);
    const { secret, otpauthUrl, qrSvg } = enrolment.body as { secret: string; otpauthUrl: string; qrSvg: string };
    expect(otpauthUrl).toBe(
      `otpauth://totp/Entraide:${user.username}?issuer=Entraide&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(qrSvg).toMatch(/^<svg/);
    // The secret is kept sealed, never as given.
    const [stored] = await db().select({ secret: users.totpSecret }).from(users).where(eq(users.id, user.id));
    expect(stored?.secret).toMatch(/^v1\./);
    expect(stored?.secret).not.toContain(secret);

    const malformed = await user.agent.post('/api/v1/me/second-factor/confirm').send({ code: '12345' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      { field: 'code', message: 'must be the 6 digits shown by your authenticator app', code: 'invalid' },
    ]);
    const wrong = await user.agent.post('/api/v1/me/second-factor/confirm').send({ code: code(secret, -5) });
    expect([wrong.status, wrong.body.detail]).toEqual([
      400,
      'The code is not the current code of your authenticator app.',
    ]);
    expect((await user.agent.get('/api/v1/me/second-factor').expect(200)).body.enabled).toBe(false);

    const confirmed = await user.agent
      .post('/api/v1/me/second-factor/confirm')
      .send({ code: code(secret).replace(/^(\d{3})/, '$1 ') })
      .expect(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const status = (await user.agent.get('/api/v1/me/second-factor').expect(200)).body;
    expect(status).toMatchObject({ enabled: true, required: false, recoveryCodesLeft: 10 });
    expect((await user.agent.get('/api/v1/me').expect(200)).body.secondFactor).toEqual({
      enabled: true,
      required: false,
    });
    const again = await user.agent.post('/api/v1/me/second-factor/enrolment');
    expect([again.status, again.body.code]).toEqual([409, 'second_factor_enabled']);
    expect(await auditKinds(user.id)).toContain('second_factor_enrolled');
  });

  it('signs in with the password and then a code, and refuses a wrong code or one used before', async () => {
    const { user, secret } = await enrolled();
    const agent = await passwordStep(user);
    // Halfway is not signed in (nor expired: it has not begun).
    const halfway = await agent.get('/api/v1/me');
    expect([halfway.status, halfway.body.detail]).toEqual([401, 'Please sign in first.']);
    expect((await agent.get('/api/v1/tasks')).status).toBe(401);

    const wrong = await agent.post('/api/v1/auth/second-factor').send({ code: code(secret, 3) });
    expect([wrong.status, wrong.body.detail]).toEqual([401, 'Wrong code.']);
    expect((await agent.get('/api/v1/me')).status).toBe(401);

    const accepted = code(secret);
    const done = await agent.post('/api/v1/auth/second-factor').send({ code: accepted }).expect(200);
    expect(done.body.user).toMatchObject({ id: user.id, secondFactor: { enabled: true, required: false } });
    expect((await agent.get('/api/v1/me').expect(200)).body.id).toBe(user.id);
    const step = await lastStepOf(user.id);

    // The same code again, within its window, from another sign-in: refused, nothing changed.
    const other = await passwordStep(user);
    const replayed = await other.post('/api/v1/auth/second-factor').send({ code: accepted });
    expect([replayed.status, replayed.body.detail]).toEqual([
      401,
      'This code has been used already: wait for the next one.',
    ]);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect(await lastStepOf(user.id)).toBe(step);
    // The step before it is still within the window, and refused too.
    const earlier = await other.post('/api/v1/auth/second-factor').send({ code: code(secret, -1) });
    expect(earlier.status).toBe(401);
    expect(await lastStepOf(user.id)).toBe(step);

    nextStep();
    await other
      .post('/api/v1/auth/second-factor')
      .send({ code: code(secret) })
      .expect(200);
    const failures = await db()
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.subjectUserId, user.id), eq(auditLog.kind, 'sign_in_failed')));
    expect(failures.map((f) => f.detail)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'second_factor', reason: 'wrong' }),
        expect.objectContaining({ method: 'second_factor', reason: 'replayed' }),
      ]),
    );
  });

  it('refuses a second step without a password step, and a body with neither or both proofs', async () => {
    const { secret } = await enrolled();
    const alone = await request(app.url)
      .post('/api/v1/auth/second-factor')
      .send({ code: code(secret) });
    expect(alone.status).toBe(401);
    expect(alone.body.detail).toMatch(/^Sign in with your username and password first/);
    const empty = await request(app.url).post('/api/v1/auth/second-factor').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([
      {
        field: 'code',
        message: 'give either the code of your authenticator app or a recovery code',
        code: 'invalid',
      },
    ]);
    const both = await request(app.url)
      .post('/api/v1/auth/second-factor')
      .send({ code: '123456', recoveryCode: 'ABCDE-FGHJK' });
    expect(both.status).toBe(400);
  });

  it('asks the code after an access code too: the access code replaces the password, not the factor', async () => {
    const { user, secret } = await enrolled();
    const coordinator = await makeUser(app, 'coordinator', { regionId });
    const issued = await coordinator.agent.post(`/api/v1/users/${user.id}/access-codes`).expect(201);
    const agent = request.agent(app.url);
    const res = await agent
      .post('/api/v1/auth/access-code')
      .send({ username: user.username, code: issued.body.code, newPassword: 'a-brand-new-passphrase' })
      .expect(200);
    expect(res.body).toEqual({ secondFactorRequired: true });
    expect((await agent.get('/api/v1/me')).status).toBe(401);
    const done = await agent
      .post('/api/v1/auth/second-factor')
      .send({ code: code(secret) })
      .expect(200);
    expect(done.body.user).toMatchObject({ id: user.id, recovery: { method: 'access_code' } });
  });

  it('takes each recovery code once', async () => {
    const { user, recoveryCodes } = await enrolled();
    const recoveryCode = recoveryCodes[0] ?? '';
    const agent = await passwordStep(user);
    await agent.post('/api/v1/auth/second-factor').send({ recoveryCode: recoveryCode.toLowerCase() }).expect(200);
    expect((await agent.get('/api/v1/me/second-factor').expect(200)).body.recoveryCodesLeft).toBe(9);

    const other = await passwordStep(user);
    const reused = await other.post('/api/v1/auth/second-factor').send({ recoveryCode });
    expect([reused.status, reused.body.detail]).toEqual([401, 'This recovery code is wrong or has been used.']);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await agent.get('/api/v1/me/second-factor').expect(200)).body.recoveryCodesLeft).toBe(9);
    expect(await auditKinds(user.id)).toContain('recovery_code_used');
  });

  it('gives new recovery codes for a current code, and the old ones stop working', async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    const wrong = await user.agent.post('/api/v1/me/second-factor/recovery-codes').send({ code: code(secret, 4) });
    expect(wrong.status).toBe(400);
    const fresh = await user.agent
      .post('/api/v1/me/second-factor/recovery-codes')
      .send({ code: code(secret) })
      .expect(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect(fresh.body.recoveryCodes).not.toContain(recoveryCodes[0]);
    const agent = await passwordStep(user);
    expect((await agent.post('/api/v1/auth/second-factor').send({ recoveryCode: recoveryCodes[0] })).status).toBe(401);
    await agent.post('/api/v1/auth/second-factor').send({ recoveryCode: fresh.body.recoveryCodes[0] }).expect(200);
  });

  it('turns off with a current code, and not with a code used before', async () => {
    const { user, secret } = await enrolled();
    nextStep();
    const used = code(secret);
    await user.agent.post('/api/v1/me/second-factor/recovery-codes').send({ code: used }).expect(200);
    const replayed = await user.agent.post('/api/v1/me/second-factor/disable').send({ code: used });
    expect([replayed.status, replayed.body.detail]).toEqual([
      400,
      'The code has been used already: wait for the next code of your authenticator app.',
    ]);
    expect((await user.agent.get('/api/v1/me/second-factor').expect(200)).body.enabled).toBe(true);

    nextStep();
    await user.agent
      .post('/api/v1/me/second-factor/disable')
      .send({ code: code(secret) })
      .expect(204);
    expect((await user.agent.get('/api/v1/me/second-factor').expect(200)).body).toMatchObject({
      enabled: false,
      recoveryCodesLeft: 0,
    });
    const again = await user.agent.post('/api/v1/me/second-factor/disable').send({ code: code(secret) });
    expect([again.status, again.body.code]).toEqual([409, 'no_second_factor']);
    // The password alone signs in again.
    const login = await request(app.url)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD })
      .expect(200);
    expect(login.body.user.id).toBe(user.id);
    expect(await auditKinds(user.id)).toContain('second_factor_disabled');
  });

  it("lets the admin reset someone's factor: a recovery, confirmed by a second person before citizen data", async () => {
    const { user } = await enrolled();
    const coordinator = await makeUser(app, 'coordinator', { regionId });
    expect((await coordinator.agent.post(`/api/v1/users/${user.id}/second-factor/reset`)).status).toBe(403);
    expect((await admin.agent.post(`/api/v1/users/${admin.id}/second-factor/reset`)).status).toBe(403);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.agent.post(`/api/v1/users/${unknown}/second-factor/reset`)).status).toBe(404);

    await admin.agent.post(`/api/v1/users/${user.id}/second-factor/reset`).expect(204);
    const again = await admin.agent.post(`/api/v1/users/${user.id}/second-factor/reset`);
    expect([again.status, again.body.code]).toEqual([409, 'no_second_factor']);

    // The owner signs in with the password alone, and is told; citizen data waits for a second person.
    const login = await request(app.url)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD })
      .expect(200);
    expect(login.body.user).toMatchObject({
      citizenBarred: true,
      secondFactor: { enabled: false },
      recovery: { method: 'second_factor_reset', confirmedAt: null },
    });
    const manager = await makeUser(app, 'manager', { communeId });
    const pending = (await manager.agent.get('/api/v1/recoveries').expect(200)).body.items as {
      id: string;
      userId: string;
      method: string;
    }[];
    const recovery = pending.find((r) => r.userId === user.id);
    expect(recovery?.method).toBe('second_factor_reset');
    // The admin who reset it cannot confirm it; the commune's manager can.
    expect((await admin.agent.post(`/api/v1/recoveries/${recovery?.id}/confirm`)).status).toBe(403);
    await manager.agent.post(`/api/v1/recoveries/${recovery?.id}/confirm`).expect(200);
    expect((await user.agent.get('/api/v1/me').expect(200)).body.citizenBarred).toBe(false);
    expect(await auditKinds(user.id)).toEqual(expect.arrayContaining(['second_factor_reset', 'account_recovered']));
  });

  it('counts wrong codes as failed sign-ins: the eleventh attempt is throttled', async () => {
    const { user, secret } = await enrolled();
    const agent = await passwordStep(user);
    for (let i = 0; i < 10; i++)
      expect((await agent.post('/api/v1/auth/second-factor').send({ code: code(secret, 5) })).status).toBe(401);
    const throttled = await agent.post('/api/v1/auth/second-factor').send({ code: code(secret) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBeDefined();
    // Nothing was accepted: the right code did not get through, and the password step is throttled too.
    expect((await agent.get('/api/v1/me')).status).toBe(401);
    const login = await request(app.url)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD });
    expect(login.status).toBe(429);
  });
});

describe.each(drivers)('REQUIRE_SECOND_FACTOR on %s', (driver) => {
  const clock = new ManualClock(Math.floor(Date.now() / STEP) * STEP + 1_000);
  let app: TestApp;
  let regionId: string;
  let communeId: string;

  beforeAll(async () => {
    app = await startTestApp(driver, { REQUIRE_SECOND_FACTOR: 'true' }, { clock });
    regionId = (await makeRegion(app)).id;
    communeId = (await makeCommune(app, regionId)).id;
  });
  afterAll(async () => {
    await app.stop();
  });

  it('lets a coordinator, admin or DPO without a factor reach only their account and enrolment', async () => {
    const [coordinator, dpo, adminUser] = await Promise.all([
      makeUser(app, 'coordinator', { regionId }),
      makeUser(app, 'dpo', { regionId }),
      makeUser(app, 'admin'),
    ]);
    for (const [user, path] of [
      [coordinator, '/api/v1/tasks'],
      [dpo, '/api/v1/audit'],
      [adminUser, '/api/v1/users'],
    ] as const) {
      const refused = await user.agent.get(path);
      expect([refused.status, refused.body.code]).toEqual([403, 'second_factor_required']);
      expect((await user.agent.get('/api/v1/me').expect(200)).body.secondFactor).toEqual({
        enabled: false,
        required: true,
      });
    }
    // Nor does the live board take them.
    await expect(connectBoard(app.url, coordinator.cookie)).rejects.toThrow(connectErrors.secondFactorRequired);

    const enrolment = await coordinator.agent.post('/api/v1/me/second-factor/enrolment').expect(200);
    const secret = enrolment.body.secret as string;
    await coordinator.agent
      .post('/api/v1/me/second-factor/confirm')
      .send({ code: codeAt(secret, clock.now()) })
      .expect(200);
    await coordinator.agent.get('/api/v1/tasks').expect(200);
    (await connectBoard(app.url, coordinator.cookie)).close();
    expect((await dpo.agent.get('/api/v1/audit')).status).toBe(403);
  });

  it('asks nothing more of a manager or clerk', async () => {
    const clerk = await makeUser(app, 'clerk', { communeId });
    await clerk.agent.get('/api/v1/tasks').expect(200);
    expect((await clerk.agent.get('/api/v1/me').expect(200)).body.secondFactor).toEqual({
      enabled: false,
      required: false,
    });
  });
});
