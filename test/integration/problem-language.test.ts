import { count } from 'drizzle-orm';
import { incidents } from '../../server/db/schema';
import { makeUser, postTask } from '../factories';
import { drivers, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const incidentCount = async (app: TestApp) => {
  const [row] = await app.running.database.db.select({ n: count() }).from(incidents);
  return row?.n;
};

/** What a problem says to people, and what it says to programs (never translated). */
const said = (body: { title: string; detail: string }) => ({ title: body.title, detail: body.detail });
const forPrograms = (body: { type: string; status: number; code: string; errors?: unknown }) => ({
  type: body.type,
  status: body.status,
  code: body.code,
  errors: body.errors,
});

describe.each(drivers)('problems in the reader’s language on %s', (driver) => {
  const t = useWorld(driver);
  const badIncident = { kind: 'alien', title: '' };

  it('says the same bad request in French to a user who chose French, in English to one who chose English', async () => {
    const [fr, en] = await Promise.all([
      makeUser(t.app, 'manager', { communeId: t.w.stricken.id }),
      makeUser(t.app, 'manager', { communeId: t.w.stricken.id }),
    ]);
    await fr.agent.patch('/api/v1/me').send({ locale: 'fr' }).expect(200);
    await en.agent.patch('/api/v1/me').send({ locale: 'en' }).expect(200);
    const before = await incidentCount(t.app);

    // The user's choice wins over what their browser asks for.
    const inFrench = await fr.agent.post('/api/v1/incidents').set('Accept-Language', 'en').send(badIncident);
    const inEnglish = await en.agent.post('/api/v1/incidents').set('Accept-Language', 'fr').send(badIncident);

    expect(inFrench.status).toBe(400);
    expect(inFrench.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(said(inFrench.body)).toEqual({
      title: 'Demande incorrecte',
      detail: 'Le corps de la demande a des champs invalides : kind, title.',
    });
    expect(said(inEnglish.body)).toEqual({
      title: 'Bad request',
      detail: 'The request body has invalid fields: kind, title.',
    });
    expect(forPrograms(inFrench.body)).toEqual(forPrograms(inEnglish.body));
    expect(inFrench.body.code).toBe('validation_failed');
    expect(await incidentCount(t.app)).toBe(before);
  });

  it('says a rule’s refusal with its particulars in the user’s language', async () => {
    const fr = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await fr.agent.patch('/api/v1/me').send({ locale: 'fr' }).expect(200);
    const task = await postTask(t.w.manager);
    await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);

    const lost = await fr.agent.post(`/api/v1/tasks/${task.id}/claim`);
    expect(lost.status).toBe(409);
    expect(lost.body).toMatchObject({ code: 'already_claimed', title: 'Conflit' });
    expect(lost.body.detail).toMatch(/^Helper2 .* a pris cette tâche en charge en premier\.$/);

    const missing = await fr.agent.get(`/api/v1/tasks/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(said(missing.body)).toEqual({
      title: 'Introuvable',
      detail: 'Cette tâche n’existe pas ou ne vous est pas visible.',
    });
    const refused = await fr.agent.post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(
      'Seuls le gestionnaire de la commune ou le coordinateur de la région déclarent un incident.',
    );
  });

  it('says the refusals of transfers and administration in French too, and changes nothing', async () => {
    const fr = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await fr.agent.patch('/api/v1/me').send({ locale: 'fr' }).expect(200);
    const task = await postTask(t.w.manager);
    const open = await fr.agent.post(`/api/v1/tasks/${task.id}/transfer-requests`).send({});
    expect(open.status).toBe(409);
    expect(open.body).toMatchObject({
      code: 'not_transferable',
      detail: 'Cette tâche est ouverte : prenez-la en charge au lieu de demander un transfert.',
    });
    await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    const started = await fr.agent.post(`/api/v1/tasks/${task.id}/transfer-requests`).send({});
    expect(started.body.detail).toBe(
      'Cette tâche est en cours : seule une tâche prise en charge et pas encore commencée peut être transférée.',
    );
    expect((await t.w.coordinator.agent.get(`/api/v1/transfer-requests?taskId=${task.id}`)).body.items).toEqual([]);

    const self = await t.w.admin.agent
      .patch(`/api/v1/users/${t.w.admin.id}`)
      .set('Accept-Language', 'fr')
      .send({ active: false });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({
      code: 'self_change',
      detail: 'Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.',
    });
    await t.w.admin.agent.get('/api/v1/me').expect(200);
  });

  it('follows Accept-Language when nobody is signed in, or the user chose no language; English by default', async () => {
    const asked = async (language: string | undefined) => {
      const req = t.app.anonymous().post('/api/v1/auth/login');
      const res = await (language === undefined ? req : req.set('Accept-Language', language)).send({});
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      return res.body.detail as string;
    };
    const french = 'Le corps de la demande a des champs invalides : username, password.';
    const english = 'The request body has invalid fields: username, password.';
    expect(await asked('fr-BE,fr;q=0.9,en;q=0.8')).toBe(french);
    expect(await asked('en;q=0.5, fr')).toBe(french);
    expect(await asked('en-GB,en;q=0.9')).toBe(english);
    expect(await asked('de-DE, nl;q=0.8')).toBe(english);
    expect(await asked(undefined)).toBe(english);

    const unchosen = await t.app.anonymous().get('/api/v1/me').set('Accept-Language', 'fr');
    expect(said(unchosen.body)).toEqual({ title: 'Non connecté', detail: 'Veuillez d’abord vous connecter.' });
    // A user who chose no language (every account until they do) gets their browser's.
    const clerk = t.w.clerk.agent;
    const bad = await clerk.get('/api/v1/tasks?limit=0').set('Accept-Language', 'fr');
    expect(bad.body.detail).toBe('La requête a des champs invalides : limit.');
    expect((await clerk.get('/api/v1/tasks?limit=0')).body.detail).toBe('The query has invalid fields: limit.');
    expect((await clerk.get('/api/v1/me')).body.locale).toBe('fr');
  });

  it('marks a 401 whose session has ended, in any language', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await user.agent.post('/api/v1/auth/logout').expect(204);
    const res = await t.app.anonymous().get('/api/v1/me').set('Cookie', user.cookie).set('Accept-Language', 'fr');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      code: 'unauthenticated',
      expired: true,
      detail: 'Votre session a expiré. Veuillez vous reconnecter.',
    });
    expect((await t.app.anonymous().get('/api/v1/me')).body.expired).toBeUndefined();
  });
});
