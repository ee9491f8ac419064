import crypto from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { auditLog, integrationTokens, tasks } from '../../server/db/schema';
import { taskInput, type TestUser } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('integration tokens and idempotent posts on %s', (driver) => {
  const t = useWorld(driver);
  const key = () => crypto.randomUUID();

  async function newToken(by: TestUser = t.w.manager, body: Record<string, unknown> = {}) {
    const res = await by.agent.post('/api/v1/integrations/tokens').send({ name: `Portail ${key()}`, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string; communeId: string; name: string; prefix: string };
  }
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const tasksOf = async (tokenId: string) =>
    (await t.app.running.database.db.select({ n: count() }).from(tasks).where(eq(tasks.postedByTokenId, tokenId)))[0]
      ?.n;

  it('creates tokens: 401, then 400, then 403, then the token shown once and only its hash kept', async () => {
    expect((await t.app.anonymous().post('/api/v1/integrations/tokens').send({ name: 'x' })).status).toBe(401);
    const nameless = await t.w.manager.agent.post('/api/v1/integrations/tokens').send({});
    expect(nameless.status).toBe(400);
    expect(nameless.body.errors).toEqual([{ field: 'name', message: 'is required', code: 'required' }]);
    const adminWithoutCommune = await t.w.admin.agent.post('/api/v1/integrations/tokens').send({ name: 'Portail' });
    expect(adminWithoutCommune.status).toBe(400);
    expect(adminWithoutCommune.body.detail).toBe('Choose the commune the token posts for.');
    for (const who of [t.w.clerk, t.w.coordinator, t.w.dpo]) {
      const res = await who.agent.post('/api/v1/integrations/tokens').send({ name: 'Portail' });
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe("Only a commune's manager or the admin manages integration tokens.");
    }
    const elsewhere = await t.w.manager.agent
      .post('/api/v1/integrations/tokens')
      .send({ name: 'Portail', communeId: t.w.helper.id });
    expect(elsewhere.status).toBe(403);

    const created = await newToken();
    expect(created.token).toMatch(/^entr_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 11));
    expect(created.communeId).toBe(t.w.stricken.id);
    const [row] = await t.app.running.database.db
      .select()
      .from(integrationTokens)
      .where(eq(integrationTokens.id, created.id));
    expect(row?.tokenHash).toBe(crypto.createHash('sha256').update(created.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const byAdmin = await newToken(t.w.admin, { communeId: t.w.faraway.id });
    expect(byAdmin.communeId).toBe(t.w.faraway.id);

    const list = await t.w.manager.agent.get('/api/v1/integrations/tokens').expect(200);
    const items = list.body.items as { id: string; communeId: string; token?: string }[];
    expect(items.map((i) => i.id)).toContain(created.id);
    expect(items.every((i) => i.communeId === t.w.stricken.id && i.token === undefined)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    const all = await t.w.admin.agent.get('/api/v1/integrations/tokens').expect(200);
    expect((all.body.items as { id: string }[]).map((i) => i.id)).toEqual(
      expect.arrayContaining([created.id, byAdmin.id]),
    );
  });

  it('posts tasks for its own commune with a bearer token, recorded as the token', async () => {
    const token = await newToken();
    const res = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', key())
      .send(taskInput());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      requestingCommuneId: t.w.stricken.id,
      postedBy: null,
      postedByTokenId: token.id,
      onBehalf: false,
      hasCitizenData: true,
    });
    expect(res.body.citizen).toBeUndefined();
    expect(res.body.trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/);
    expect(res.headers['set-cookie']).toBeUndefined();

    const history = await t.w.manager.agent.get(`/api/v1/tasks/${res.body.id}/events`).expect(200);
    expect(history.body.items[0]).toMatchObject({
      action: 'create',
      actorUserId: null,
      actorCommuneId: t.w.stricken.id,
      integration: { tokenId: token.id, name: token.name },
      onBehalfOf: null,
    });
    const asManager = await t.w.manager.agent.get(`/api/v1/tasks/${res.body.id}`).expect(200);
    expect(asManager.body.citizen).toMatchObject({ fullName: 'Jeanne Dupont' });

    const bulk = await t.app
      .anonymous()
      .post('/api/v1/tasks/bulk')
      .set(bearer(token.token))
      .set('Idempotency-Key', key())
      .send([taskInput(), taskInput()]);
    expect(bulk.status).toBe(201);
    expect(bulk.body.count).toBe(2);
    const listed = await t.w.manager.agent.get('/api/v1/integrations/tokens').expect(200);
    expect(
      (listed.body.items as { id: string; lastUsedAt: string | null }[]).find((i) => i.id === token.id)?.lastUsedAt,
    ).toEqual(expect.any(String));
  });

  it('refuses a post for another commune, and a post without an Idempotency-Key, writing nothing', async () => {
    const token = await newToken();
    const before = await writeCounts(t.app);
    const other = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', key())
      .send(taskInput({ requestingCommuneId: t.w.helper.id }));
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('This integration token posts tasks only for its own commune.');
    const otherBulk = await t.app
      .anonymous()
      .post(`/api/v1/tasks/bulk?requestingCommuneId=${t.w.helper.id}`)
      .set(bearer(token.token))
      .set('Idempotency-Key', key())
      .send([taskInput()]);
    expect(otherBulk.status).toBe(403);
    const keyless = await t.app.anonymous().post('/api/v1/tasks').set(bearer(token.token)).send(taskInput());
    expect(keyless.status).toBe(400);
    expect(keyless.body).toMatchObject({
      detail: 'An integration must send an Idempotency-Key header with each post.',
      errors: [{ field: 'Idempotency-Key', message: 'is required', code: 'required' }],
    });
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('refuses a token on every other endpoint (403), and an unknown token (401)', async () => {
    const token = await newToken();
    const task = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput()).expect(201);
    const calls = [
      t.app.anonymous().get('/api/v1/tasks'),
      t.app.anonymous().get(`/api/v1/tasks/${task.body.id}`),
      t.app.anonymous().get('/api/v1/me'),
      t.app.anonymous().get('/api/v1/integrations/tokens'),
      t.app.anonymous().post('/api/v1/integrations/tokens').send({ name: 'More' }),
      t.app.anonymous().post(`/api/v1/tasks/${task.body.id}/cancel`).send({ version: 1 }),
      t.app.anonymous().post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' }),
      t.app.anonymous().get('/api/v1/openapi.json'),
      t.app.anonymous().get('/api/v1/public/track/ZZZZ-ZZZZ-ZZZZZ'),
      t.app.anonymous().get('/api/v1/no-such-thing'),
    ];
    for (const call of calls) {
      const res = await call.set(bearer(token.token));
      expect({ url: res.request.url, status: res.status, detail: res.body.detail }).toEqual({
        url: res.request.url,
        status: 403,
        detail: 'An integration token may only post tasks (POST /api/v1/tasks and /api/v1/tasks/bulk).',
      });
    }
    for (const wrong of ['entr_not-a-real-token', 'something-else', `${token.token}x`]) {
      const res = await t.app
        .anonymous()
        .post('/api/v1/tasks')
        .set(bearer(wrong))
        .set('Idempotency-Key', key())
        .send(taskInput());
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('This API token is not valid, or it has been revoked.');
    }
  });

  it('is revoked by its commune’s manager or the admin (others get 404), and refused from then on', async () => {
    const token = await newToken();
    expect((await t.w.foreignManager.agent.post(`/api/v1/integrations/tokens/${token.id}/revoke`)).status).toBe(404);
    expect((await t.w.clerk.agent.post(`/api/v1/integrations/tokens/${token.id}/revoke`)).status).toBe(403);
    const revoked = await t.w.manager.agent.post(`/api/v1/integrations/tokens/${token.id}/revoke`).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    // Both the creation and the revocation are on the region's audit trail, without the token.
    const trail = await t.app.running.database.db
      .select({ kind: auditLog.kind, detail: auditLog.detail, regionId: auditLog.regionId })
      .from(auditLog)
      .where(sql`${auditLog.detail}->>'tokenId' = ${token.id}`);
    expect(trail.map((e) => [e.kind, e.regionId]).sort()).toEqual([
      ['integration_token_created', t.w.region.id],
      ['integration_token_revoked', t.w.region.id],
    ]);
    expect(JSON.stringify(trail)).not.toContain(token.token);
    const res = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', key())
      .send(taskInput());
    expect(res.status).toBe(401);
    expect(await tasksOf(token.id)).toBe(0);
    const other = await newToken(t.w.admin, { communeId: t.w.stricken.id });
    await t.w.admin.agent.post(`/api/v1/integrations/tokens/${other.id}/revoke`).expect(200);
  });

  it('answers a retried post with the first answer and creates nothing more', async () => {
    const token = await newToken();
    const k = key();
    const body = taskInput();
    const post = () =>
      t.app.anonymous().post('/api/v1/tasks').set(bearer(token.token)).set('Idempotency-Key', k).send(body);
    const first = await post();
    expect(first.status).toBe(201);
    const again = await post();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await tasksOf(token.id)).toBe(1);

    const changed = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', k)
      .send({ ...body, title: 'Another request' });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({
      code: 'idempotency_key_reused',
      detail: 'This Idempotency-Key was already used for another request: use a new key for a new request.',
    });
    expect(await tasksOf(token.id)).toBe(1);

    // Keys are each poster's own: another token's same key is another post.
    const second = await newToken();
    await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(second.token))
      .set('Idempotency-Key', k)
      .send(body)
      .expect(201);
    expect(await tasksOf(second.id)).toBe(1);
  });

  it('gives a failed post its key back, so that the corrected post may use it', async () => {
    const token = await newToken();
    const k = key();
    const bad = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', k)
      .send(taskInput({ type: 'no_such_type' }));
    expect(bad.status).toBe(400);
    await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Idempotency-Key', k)
      .send(taskInput())
      .expect(201);
    expect(await tasksOf(token.id)).toBe(1);
  });

  it('creates exactly one task for concurrent retries with the same key', async () => {
    const token = await newToken();
    const k = key();
    const body = taskInput();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.app.anonymous().post('/api/v1/tasks').set(bearer(token.token)).set('Idempotency-Key', k).send(body),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.id as string)).size).toBe(1);
    expect(await tasksOf(token.id)).toBe(1);
  });

  it('judges a request that says Bearer by its token alone, never by the session it also carries', async () => {
    for (const header of ['Bearer not a token', 'bearer entr_x y', 'Bearer  entr_']) {
      const res = await t.w.manager.agent
        .post('/api/v1/tasks')
        .set('Authorization', header)
        .set('Origin', 'https://elsewhere.example.org')
        .send(taskInput());
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
    }
  });

  it('takes a bearer post from another site (no session, so no forgery), not a session post', async () => {
    const token = await newToken();
    const viaToken = await t.app
      .anonymous()
      .post('/api/v1/tasks')
      .set(bearer(token.token))
      .set('Origin', 'https://portal.example.org')
      .set('Idempotency-Key', key())
      .send(taskInput());
    expect(viaToken.status).toBe(201);
    const viaSession = await t.w.manager.agent
      .post('/api/v1/tasks')
      .set('Origin', 'https://portal.example.org')
      .send(taskInput());
    expect(viaSession.status).toBe(403);
  });

  it('lets a signed-in manager send an Idempotency-Key too, scoped to them', async () => {
    const k = key();
    const body = taskInput();
    const first = await t.w.manager.agent.post('/api/v1/tasks').set('Idempotency-Key', k).send(body).expect(201);
    const again = await t.w.manager.agent.post('/api/v1/tasks').set('Idempotency-Key', k).send(body).expect(201);
    expect(again.body.id).toBe(first.body.id);
    const bad = await t.w.manager.agent.post('/api/v1/tasks').set('Idempotency-Key', 'with space').send(body);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('The Idempotency-Key header is not valid.');
  });

  it('declares the bearer scheme in the OpenAPI document for posting tasks only', async () => {
    const doc = (await t.w.manager.agent.get('/api/v1/openapi.json').expect(200)).body as {
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    expect(doc.components.securitySchemes.integrationToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const withBearer = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security?.some((s) => 'integrationToken' in s))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(withBearer.sort()).toEqual(['POST /tasks', 'POST /tasks/bulk']);
  });
});
