import path from 'node:path';
import { taskInput } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

describe('continuity in the browser', () => {
  const t = useBrowserWorld();

  it('lets the coordinator post a request for a commune in incident, which its manager then holds as its own', async () => {
    await t.w.manager.agent.post('/api/v1/incidents').send({ kind: 'cyberattack', title: 'Rançongiciel' }).expect(201);
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.coordinator);
    await page
      .getByRole('navigation', { name: 'Rubriques' })
      .getByRole('link', { name: 'Publier des demandes' })
      .click();
    const forCommune = page.getByLabel('Pour la commune');
    await forCommune.waitFor();
    // Only the communes in incident are offered.
    const offered = await forCommune.locator('option').allTextContents();
    expect(offered).toEqual(['— choisir une commune en incident —', t.w.stricken.name]);
    await forCommune.selectOption({ label: t.w.stricken.name });
    await page.getByText('vous ne pourrez pas les relire ensuite').waitFor();
    await page.getByLabel('Type').selectOption('certificat_residence');
    await page.getByLabel('Intitulé').fill('Certificat de résidence (téléphone)');
    await page.getByLabel('Nom complet').fill('Jeanne Dupont');
    await page.getByRole('button', { name: 'Publier', exact: true }).click();
    const notice = page.getByRole('alert').filter({ hasText: `publiée pour ${t.w.stricken.name}` });
    await notice.waitFor();
    const code = /Code de suivi à remettre au citoyen : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5})/.exec(
      (await notice.textContent()) ?? '',
    )?.[1];
    expect(code).toBeDefined();
    await page.screenshot({ path: path.join(artifacts, 'post-on-behalf.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The commune's manager finds it among its own, with the citizen, the code and its history.
    const mine = await t.w.manager.agent.get(`/api/v1/tasks?commune=${t.w.stricken.id}`).expect(200);
    const task = (mine.body.items as { id: string; title: string; onBehalf: boolean }[]).find(
      (i) => i.title === 'Certificat de résidence (téléphone)',
    );
    expect(task?.onBehalf).toBe(true);
    const managerPage = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(managerPage, t.app, t.w.manager);
    await managerPage.goto(`${t.app.url}/#/tasks/${task?.id ?? ''}`);
    await managerPage.getByRole('heading', { name: 'Certificat de résidence (téléphone)' }).waitFor();
    await managerPage.getByText('Jeanne Dupont').waitFor();
    await managerPage.getByText(`pour ${t.w.stricken.name}`).waitFor();
    await managerPage.getByRole('button', { name: 'Imprimer le reçu du citoyen' }).waitFor();
    expect(await managerPage.locator('.tracking-code').textContent()).toBe(code);
    await managerPage.emulateMedia({ media: 'print' });
    await managerPage.evaluate("document.body.classList.add('printing-receipt')");
    await managerPage.screenshot({ path: path.join(artifacts, 'receipt-print.png'), fullPage: true });
    expect(await managerPage.getByRole('heading', { name: 'Reçu de votre demande' }).isVisible()).toBe(true);
    expect(await managerPage.getByText('Jeanne Dupont').isVisible()).toBe(false);
    await page.close();
    await managerPage.close();
  });

  it('shows a citizen on a 375-px phone where their request stands, without signing in', async () => {
    const posted = await t.w.manager.agent
      .post('/api/v1/tasks')
      .send(taskInput({ title: 'Extrait pour Marc Lenoir', deliveryMode: 'pickup_helper' }))
      .expect(201);
    await t.w.clerk.agent.post(`/api/v1/tasks/${posted.body.id as string}/claim`).expect(200);
    const phone = await t.browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-BE',
      bypassCSP: true,
    });
    const page = await phone.newPage();
    const res = await page.goto(`${t.app.url}/suivi/${(posted.body.trackingCode as string).toLowerCase()}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['x-robots-tag']).toBe('noindex, nofollow');
    await page.getByRole('heading', { name: 'Suivi de votre demande' }).waitFor();
    await page.getByText('Prise en charge par une commune.').waitFor();
    await page.getByText(`À retirer à l’administration communale de ${t.w.helper.name}.`).waitFor();
    expect(await page.content()).not.toMatch(/Marc Lenoir|Jeanne Dupont|Extrait pour/);
    // Nothing wider than the phone.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(artifacts, 'tracking-375.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // In English, and a mistyped code says so.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Track your request' }).waitFor();
    await page.getByText('Taken on by a commune.').waitFor();
    await page.getByLabel('Tracking code').fill('ABCD-EFGH');
    await page.getByRole('button', { name: 'See where my request stands' }).click();
    await page.getByRole('alert').filter({ hasText: 'This tracking code is not in the right form' }).waitFor();
    await phone.close();
  });

  it('lets a manager create an integration token, shown once, and revoke it', async () => {
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.manager);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Intégrations' }).click();
    await page.getByLabel('Nom du jeton (ex. « e-guichet »)').fill('e-guichet');
    await page.getByRole('button', { name: 'Créer un jeton' }).click();
    await page.getByText('Copiez ce jeton maintenant').waitFor();
    const token = await page.locator('#token-secret').inputValue();
    expect(token).toMatch(/^entr_/);
    await page.getByRole('cell', { name: 'e-guichet', exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'integrations.png'), fullPage: true });
    await page.getByRole('button', { name: 'J’ai copié le jeton' }).click();
    expect(await page.content()).not.toContain(token);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Révoquer le jeton e-guichet' }).click();
    await page.getByText(/révoqué le/).waitFor();
    await page.close();
  });
});
