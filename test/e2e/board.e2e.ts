import path from 'node:path';
import type { Page } from 'playwright-core';
import { announceSessionChange, deleteSessionsOfUser } from '../../server/resources/auth/sessions-repo';
import { makeUser, makeWorld, postTask, taskInput } from '../factories';
import { accessibilityViolations, artifacts, pageWidth, signIn, useBrowserWorld } from './browser';

/** The width of the page itself: no wider than the screen. */
describe('the browser client', () => {
  const t = useBrowserWorld();

  it('tells a wrong password, and the login page passes an accessibility scan', async () => {
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await page.goto(t.app.url);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.screenshot({ path: path.join(artifacts, 'login.png') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel("Nom d'utilisateur").fill(t.w.clerk.username);
    await page.getByLabel('Mot de passe').fill('not-the-password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: "Nom d'utilisateur ou mot de passe incorrect." }).waitFor();
    await page.getByLabel('Langue').selectOption('en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  it('shows a posted task live to two clerks; one claims it, the other sees it taken and is told who was first', async () => {
    const one = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const two = await t.browser.newContext({ locale: 'fr-BE', viewport: { width: 375, height: 800 }, bypassCSP: true });
    const pageOne = await one.newPage();
    const pageTwo = await two.newPage();
    await signIn(pageOne, t.app, t.w.clerk);
    await signIn(pageTwo, t.app, t.w.clerk2);

    const task = await postTask(t.w.manager, { title: 'Certificat en direct', priority: 'urgent' });
    const cardOn = (page: Page) => page.getByRole('article', { name: 'Certificat en direct' });
    await cardOn(pageOne).waitFor();
    await cardOn(pageTwo).waitFor();
    await pageOne.screenshot({ path: path.join(artifacts, 'board.png'), fullPage: true });
    await pageTwo.screenshot({ path: path.join(artifacts, 'board-phone.png'), fullPage: true });
    expect(await accessibilityViolations(pageOne)).toEqual([]);
    expect(await accessibilityViolations(pageTwo)).toEqual([]);
    // Usable on a phone: the columns stack, nothing runs off the side of the page.
    expect(await pageWidth(pageTwo)).toBeLessThanOrEqual(375);

    // Clerk two clicks, but clerk one's claim gets there first: two is told who holds the task.
    await pageTwo.route(`**/api/v1/tasks/${task.id}/claim`, async (route) => {
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      await route.continue();
    });
    await cardOn(pageTwo).getByRole('button', { name: 'Prendre en charge' }).click();
    await pageTwo
      .getByRole('alert')
      .filter({ hasText: `${t.w.helper.name} a pris cette tâche en premier.` })
      .waitFor();
    // Both boards show it in the claimed column, live.
    const claimedColumn = (page: Page) => page.getByRole('region', { name: /Prises en charge/ });
    await claimedColumn(pageOne).getByRole('article', { name: 'Certificat en direct' }).waitFor();
    await claimedColumn(pageTwo).getByRole('article', { name: 'Certificat en direct' }).waitFor();
    await pageTwo.screenshot({ path: path.join(artifacts, 'board-conflict.png'), fullPage: true });

    // A claim in one click with instant feedback.
    await postTask(t.w.manager, { title: 'Deuxième certificat' });
    await cardOn(pageOne).waitFor();
    await pageOne
      .getByRole('article', { name: 'Deuxième certificat' })
      .getByRole('button', { name: 'Prendre en charge' })
      .click();
    await pageOne.getByRole('alert').filter({ hasText: 'Tâche « Deuxième certificat » prise en charge.' }).waitFor();
    await one.close();
    await two.close();
  });

  it('completes a claimed task from its detail page with an outcome note, and shows its history', async () => {
    const task = await postTask(t.w.manager, { title: 'À terminer' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.clerk);
    await page.getByRole('link', { name: 'À terminer' }).click();
    await page.getByRole('heading', { name: 'À terminer', level: 1 }).waitFor();
    // The claim holder sees the citizen data.
    await page.getByText('Jeanne Dupont').waitFor();
    // Presence: the requesting manager opens the same task, and the clerk sees them come and go.
    const presence = page.locator('.viewers');
    expect(await presence.textContent()).toBe('');
    const manager = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(manager, t.app, t.w.manager);
    await manager.goto(`${t.app.url}/#/tasks/${task.id}`);
    await manager.getByRole('heading', { name: 'À terminer', level: 1 }).waitFor();
    await presence
      .filter({ hasText: `Aussi sur cette tâche en ce moment : manager ${t.w.manager.username}` })
      .waitFor();
    await manager
      .locator('.viewers')
      .filter({ hasText: `clerk ${t.w.clerk.username} (${t.w.helper.name})` })
      .waitFor();
    await manager.close();
    await presence.filter({ hasText: 'Aussi' }).waitFor({ state: 'detached' });
    expect(await presence.textContent()).toBe('');
    await page.getByRole('button', { name: 'Commencer' }).click();
    await page.getByRole('button', { name: 'Terminer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Terminer' });
    await dialog.getByLabel('Note de résultat').fill('Remis au guichet');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Remis au guichet', { exact: true }).waitFor();
    // The history is read again after the change: wait for its new entry, then check there is one.
    await page.getByRole('listitem').filter({ hasText: 'Terminée' }).waitFor();
    // Still the holder: the citizen data stays on screen after the change.
    expect(await page.getByText('Jeanne Dupont').isVisible()).toBe(true);
    expect(await page.getByRole('listitem').filter({ hasText: 'Terminée' }).count()).toBe(1);
    await page.getByText('Historique intègre (chaîne de hachage vérifiée).').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'task-detail.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    const stored = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`);
    expect(stored.body).toMatchObject({ status: 'done', outcome: 'Remis au guichet' });
    await page.close();
  });

  it("posts a request from the form, and a CSV with a bad row shows that row's error and writes nothing", async () => {
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.manager);
    await page.getByRole('link', { name: 'Publier des demandes' }).click();
    await page.getByRole('heading', { name: 'Nouvelle demande' }).waitFor();
    // A missing title is caught by the shared schema before anything is sent.
    await page.getByLabel('Type').selectOption('certificat_residence');
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    await page.getByText('Corrigez les champs indiqués.').waitFor();
    // Said in the interface's language, under the field, and read with it by a screen reader.
    expect(await page.locator('#e-title').textContent()).toBe('est obligatoire');
    expect(await page.getByLabel('Intitulé').getAttribute('aria-describedby')).toBe('e-title');
    await page.getByLabel('Intitulé').fill('Certificat depuis le formulaire');
    await page.getByLabel('Nom complet').fill('Paul Petit');
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    await page.getByText('Demande publiée : Certificat depuis le formulaire').waitFor();

    const before = (await t.w.manager.agent.get('/api/v1/tasks?limit=100')).body.items.length as number;
    const header = (await t.w.manager.agent.get('/api/v1/tasks/import-template.csv')).text.split('\n')[0];
    const csv = `${header}\ncertificat_residence,Bonne ligne,,,,,,,,,,,\ncertificat_residence,Mauvaise ligne,,au plus vite,,,,,,,,,\n`;
    await page
      .getByLabel('Fichier CSV')
      .setInputFiles({ name: 'lot.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('Aucune demande publiée : corrigez ces lignes.').first().waitFor();
    const row = page.getByRole('row').filter({ hasText: 'priority' });
    expect(await row.textContent()).toContain('3');
    expect(await row.textContent()).toContain('doit être une de ces valeurs : urgent, high, normal, low');
    await page.screenshot({ path: path.join(artifacts, 'post-csv-error.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    const after = (await t.w.manager.agent.get('/api/v1/tasks?limit=100')).body.items.length as number;
    expect(after).toBe(before);
    await page.close();
  });

  it("marks a stricken commune's tasks, and prints the filtered list without the controls", async () => {
    await t.w.manager.agent.post('/api/v1/incidents').send({ kind: 'cyberattack', title: 'Rançongiciel' }).expect(201);
    await postTask(t.w.manager, { title: 'Imprimable urgent', priority: 'urgent' });
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.clerk);
    const card = page.getByRole('article', { name: 'Imprimable urgent' });
    await card.getByText('Commune en incident').waitFor();
    // The filtered list comes back from the server: the card is in it once it has.
    const filtered = page.waitForResponse((res) => /\/api\/v1\/tasks\?.*priority=urgent/.test(res.url()));
    await page.getByLabel('Priorité').selectOption('urgent');
    await filtered;
    await card.waitFor();
    await page.emulateMedia({ media: 'print' });
    // The print layout: the controls hidden, the card and the print line shown (each waited for: the
    // virtual list measures its cards again under the print styles).
    await page.getByRole('form', { name: 'Filtres' }).waitFor({ state: 'hidden' });
    await card.waitFor({ state: 'visible' });
    await page.getByText(/^Imprimé le /).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(artifacts, 'board-print.png'), fullPage: true });
    await page.close();
  });

  it('says when sign-in is throttled and when a session has expired', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    for (let i = 0; i < 10; i += 1) {
      await t.app
        .anonymous()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: `wrong-${i}-password` })
        .expect(401);
    }
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await page.goto(t.app.url);
    await page.getByLabel("Nom d'utilisateur").fill(user.username);
    await page.getByLabel('Mot de passe').fill('still-wrong-password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Trop de tentatives\. Réessayez dans \d+ minute\(s\)\.$/ })
      .waitFor();

    const other = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    await signIn(page, t.app, other);
    // The sessions end behind the app's back, told as the app tells its instances when it ends them
    // itself (otherwise the session it keeps in memory would serve for up to SESSION_CACHE_MS more).
    await deleteSessionsOfUser(t.app.running.database.db, other.id);
    await announceSessionChange(t.app.running.database.db, { userId: other.id });
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Votre session a expiré. Veuillez vous reconnecter.' }).waitFor();
    await page.close();
  });

  it('shows a crisis-size board exactly: counted by the server, loaded as one scrolls, searched by the server, live', async () => {
    // A region of its own, so that the counts are this test's tasks only.
    const w = await makeWorld(t.app);
    const start = Date.now() + 24 * 3_600_000;
    const rows = Array.from({ length: 300 }, (_, i) =>
      taskInput({
        title: `Demande de crise n°${i}`,
        details: i === 137 ? 'Pompe à chaleur de la rue Zéphyrine' : 'Relevé des besoins',
        dueAt: new Date(start + i * 60_000).toISOString(),
      }),
    );
    const posted = await w.manager.agent.post('/api/v1/tasks/bulk').send(rows).expect(201);
    const codes = (posted.body.items as { task: { title: string; code: string } }[]).map((i) => i.task);

    const context = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signIn(page, t.app, w.clerk);
    const open = page.getByRole('region', { name: /^Ouvertes/ });
    const openHeading = (n: string) => open.getByRole('heading', { level: 2, name: `Ouvertes ${n}` });
    const card = (title: string) => open.getByRole('article', { name: title, exact: true });

    // The exact count, and far fewer cards in the page than tasks.
    await openHeading('300').waitFor();
    await card('Demande de crise n°0').waitFor();
    const shown = await open.getByRole('article').count();
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(60);
    // The list says its full size to screen readers.
    expect(await open.getByRole('listitem').first().getAttribute('aria-setsize')).toBe('300');
    await page.screenshot({ path: path.join(artifacts, 'board-crisis.png') });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Scrolling to the end of the loaded cards brings the next page, and the DOM stays small.
    const scroller = open.locator('.column-scroll');
    await open.getByText('40 chargées sur 300').waitFor();
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await open.getByText('80 chargées sur 300').waitFor();
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await card('Demande de crise n°79').waitFor();
    expect(await open.getByRole('article').count()).toBeLessThan(60);
    expect(await card('Demande de crise n°0').count()).toBe(0);

    // A word of one task's details, searched by the server (case and accents aside), far past the loaded cards.
    const search = page.getByLabel('Rechercher');
    await search.fill('ZEPHYRINE');
    await openHeading('1').waitFor();
    await card('Demande de crise n°137').waitFor();
    expect(await open.getByRole('article').count()).toBe(1);

    // A task's code, typed loosely: the task, and a way to open it.
    const target = codes[250];
    if (!target) throw new Error('the bulk post answered fewer tasks');
    const loose = target.code.replace('-', '').toLowerCase();
    await search.fill(loose);
    await openHeading('1').waitFor();
    await card(target.title).waitFor();
    await page.getByRole('button', { name: `Ouvrir la tâche ${target.code}` }).click();
    await page.getByRole('heading', { level: 1, name: target.title }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Tableau des tâches' }).waitFor();

    // A mistyped code is said to be one, not searched in vain.
    const last = target.code.charAt(8);
    const mistyped = `${target.code.slice(0, 8)}${last === '7' ? '8' : '7'}`;
    await page.getByLabel('Rechercher').fill(mistyped);
    await page.getByText("Ce code n'est pas valide : vérifiez les caractères.").waitFor();

    // Live: with the search cleared, a task posted meanwhile comes in its place and the count moves to 301.
    await page.getByLabel('Rechercher').fill('');
    await openHeading('300').waitFor();
    const live = await postTask(w.manager, {
      title: 'Arrivée en direct',
      dueAt: new Date(start - 3_600_000).toISOString(),
    });
    await openHeading('301').waitFor();
    await card('Arrivée en direct').waitFor();
    // Claimed elsewhere: it leaves the column, and each column's count moves by one.
    await w.clerk2.agent.post(`/api/v1/tasks/${live.id}/claim`).expect(200);
    await openHeading('300').waitFor();
    const claimed = page.getByRole('region', { name: /^Prises en charge/ });
    await claimed.getByRole('heading', { level: 2, name: 'Prises en charge 1' }).waitFor();
    await claimed.getByRole('article', { name: 'Arrivée en direct' }).waitFor();
    expect(await card('Arrivée en direct').count()).toBe(0);
    await context.close();
  });
});
