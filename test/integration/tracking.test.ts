import { like } from 'drizzle-orm';
import { limits } from '../../shared/limits';
import { loginThrottle } from '../../server/db/schema';
import { makeWorld, type World } from '../factories';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

const codeShape = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$/;

describe.each(drivers)('public tracking on %s', (driver) => {
  let app: TestApp;
  let w: World;
  /** The SQL text of the statements the app runs, while `recording`. */
  const statements: string[] = [];
  let recording = false;

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { onQuery: (sql) => recording && statements.push(sql) });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });
  // Each test starts with the address's look-ups uncounted.
  beforeEach(async () => {
    await app.running.database.db.delete(loginThrottle).where(like(loginThrottle.key, 'track-ip:%'));
  });

  async function trackedTask(deliveryMode: 'pickup_helper' | 'post' | 'e_guichet' = 'pickup_helper') {
    const res = await w.manager.agent
      .post('/api/v1/tasks')
      .send({
        type: 'certificat_residence',
        title: 'Certificat pour Jeanne Dupont',
        details: 'Jeanne Dupont, rue des Prés 4',
        deliveryMode,
        citizen: { fullName: 'Jeanne Dupont', nationalNumber: '85.07.30-033.28', phone: '0470 12 34 56' },
      })
      .expect(201);
    const task = res.body as { id: string; version: number; trackingCode: string };
    expect(task.trackingCode).toMatch(codeShape);
    return task;
  }

  it('answers a malformed code with 400, without looking anything up', async () => {
    for (const bad of ['ABC', 'ABCD-EFGH-JKMNU', 'ABCD-EFGH-JKMNPQ', 'ABCD-EFGH-JKM!P']) {
      const res = await app.anonymous().get(`/api/v1/public/track/${encodeURIComponent(bad)}`);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.type).toBe('application/problem+json');
      expect(res.body.detail).toBe('The tracking code in the address is not valid.');
      expect(res.body.errors[0]).toMatchObject({
        field: 'tracking code',
        message: 'must be a tracking code like 7K3Q-9XAB-C2DEF',
      });
    }
  });

  it('tells anyone with the code the status, the communes and where to collect, and nothing personal', async () => {
    const task = await trackedTask();
    const res = await app.anonymous().get(`/api/v1/public/track/${task.trackingCode}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.body).toEqual({
      code: task.trackingCode,
      status: 'open',
      statusText: {
        fr: 'Reçue : elle attend qu’une commune la prenne en charge.',
        en: 'Received: waiting for a commune to take it on.',
      },
      requestedOf: { name: w.stricken.name },
      handledBy: null,
      deliveryMode: 'pickup_helper',
      collectText: {
        fr: 'À retirer à l’administration communale qui la traitera : elle sera indiquée ici.',
        en: 'To collect at the town hall that will handle it: it will be shown here.',
      },
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Jeanne|Dupont|Certificat|0470|85\.07|rue des/);

    // Typed back in lower case, with spaces, O for 0 and I or L for 1: the same request.
    const typed = task.trackingCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect((await app.anonymous().get(`/api/v1/public/track/${encodeURIComponent(typed)}`)).body.code).toBe(
      task.trackingCode,
    );

    // Claimed by a helping commune: the citizen learns where to collect it.
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const claimed = await app.anonymous().get(`/api/v1/public/track/${task.trackingCode}`).expect(200);
    expect(claimed.body).toMatchObject({
      status: 'claimed',
      statusText: { en: 'Taken on by a commune.' },
      handledBy: { name: w.helper.name },
      collectText: { en: `To collect at the town hall of ${w.helper.name}.` },
    });
  });

  it('answers an unknown code with 404, running the same statements as for a known one', async () => {
    const task = await trackedTask('e_guichet');
    const unknown = task.trackingCode.startsWith('Z')
      ? `Y${task.trackingCode.slice(1)}`
      : `Z${task.trackingCode.slice(1)}`;
    const run = async (code: string) => {
      // What posting the task set going (numbering its events, notifying) is over before measuring.
      await app.running.sequencer.flush();
      await app.running.notifier.idle();
      statements.length = 0;
      recording = true;
      const res = await app.anonymous().get(`/api/v1/public/track/${code}`);
      recording = false;
      // The sequencers number events and audit entries in the background, in transactions of their own,
      // and the board publisher checks every second for events numbered elsewhere: not part of the
      // request (a look-up opens no transaction).
      const background =
        /event_sequencer|audit_sequencer|"seq" is null|"jobs"|pg_notify|from "events" where "events"\."seq" > \$1|^(begin|commit|rollback)\b/i;
      return {
        status: res.status,
        body: res.body as { detail?: string; status?: string },
        sql: statements.filter((s) => !background.test(s.trim())),
      };
    };
    const known = await run(task.trackingCode);
    const missing = await run(unknown);
    expect(known.status).toBe(200);
    expect(known.body.status).toBe('open');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('This tracking code does not exist or is not visible to you.');
    expect(known.sql.length).toBeGreaterThan(0);
    expect(missing.sql).toEqual(known.sql);
    expect(known.sql.filter((s) => s.includes('"tracking_hash"'))).toHaveLength(1);
  });

  it('gives a task without a citizen no tracking code', async () => {
    const res = await w.manager.agent
      .post('/api/v1/tasks')
      .send({ type: 'certificat_residence', title: 'Sans citoyen', citizen: undefined })
      .expect(201);
    expect(res.body.trackingCode).toBeUndefined();
    expect(res.body.hasCitizenData).toBe(false);
  });

  it('shows the code again only to those who may read the citizen data, for the receipt', async () => {
    const task = await trackedTask();
    expect((await w.manager.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body.trackingCode).toBe(
      task.trackingCode,
    );
    for (const who of [w.clerk, w.coordinator]) {
      const res = await who.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
      expect(res.body.trackingCode).toBeUndefined();
    }
    const list = await w.manager.agent.get('/api/v1/tasks').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(task.trackingCode);
    const history = await w.manager.agent.get(`/api/v1/tasks/${task.id}/events`).expect(200);
    expect(JSON.stringify(history.body)).not.toMatch(/tracking/);
  });

  it('serves the page in French and English, without a session, for the citizen', async () => {
    const task = await trackedTask('post');
    const fr = await app.anonymous().get(`/suivi/${task.trackingCode}`);
    expect(fr.status).toBe(200);
    expect(fr.type).toBe('text/html');
    expect(fr.headers['cache-control']).toBe('no-store');
    expect(fr.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Reçue : elle attend qu’une commune la prenne en charge.');
    expect(fr.text).toContain('Envoyé par la poste.');
    expect(fr.text).toContain(w.stricken.name);
    expect(fr.text).not.toMatch(/Jeanne|Dupont|Certificat pour|rue des/);
    const en = await app.anonymous().get(`/track/${task.trackingCode.toLowerCase()}`);
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Sent by post.');
    const malformed = await app.anonymous().get('/suivi/nope');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('n’a pas le bon format');
    const unknown = await app.anonymous().get('/track/ZZZZ-ZZZZ-ZZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('No request has this code.');
    const form = await app.anonymous().get(`/suivi?code=${task.trackingCode}`);
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe(`/suivi/${task.trackingCode}`);
  });

  it('limits look-ups per address, the API and the page together: 429 with Retry-After', async () => {
    for (let i = 0; i < limits.trackingPerAddress; i++) {
      const res = await app.anonymous().get(i % 2 ? '/api/v1/public/track/ZZZZ-ZZZZ-ZZZZZ' : '/suivi/ZZZZ-ZZZZ-ZZZZZ');
      expect(res.status).toBe(404);
    }
    const api = await app.anonymous().get('/api/v1/public/track/ZZZZ-ZZZZ-ZZZZZ');
    expect(api.status).toBe(429);
    expect(api.type).toBe('application/problem+json');
    expect(api.body.detail).toMatch(/^Too many tracking look-ups from your address\. Try again in \d+ minute\(s\)\.$/);
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    const page = await app.anonymous().get('/track/ZZZZ-ZZZZ-ZZZZZ');
    expect(page.status).toBe(429);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('Too many look-ups from your connection.');
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
  });
});
