import path from 'node:path';
import { makeUser } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

describe('one-time access codes in the browser', () => {
  const t = useBrowserWorld();

  it('lets the coordinator give a locked-out manager a code, with which the manager signs in and chooses a new password', async () => {
    const stranded = await makeUser(t.app, 'manager', { communeId: t.w.stricken.id });
    const desk = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(desk, t.app, t.w.coordinator);
    await desk.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Accès' }).click();
    await desk.getByRole('heading', { name: 'Accès' }).waitFor();
    // Only the region's managers and clerks are listed.
    await desk.getByRole('row').filter({ hasText: t.w.clerk.username }).waitFor();
    expect(await desk.getByRole('row').filter({ hasText: t.w.foreignManager.username }).count()).toBe(0);
    await desk.getByRole('button', { name: `Donner un code d'accès — ${stranded.role} ${stranded.username}` }).click();
    const issued = desk.getByRole('status').filter({ hasText: 'Valable une fois' });
    await issued.waitFor();
    const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(await issued.innerText())?.[0];
    expect(code).toBeDefined();
    await desk.screenshot({ path: path.join(artifacts, 'access-codes.png'), fullPage: true });
    expect(await accessibilityViolations(desk)).toEqual([]);

    const context = await t.browser.newContext({ locale: 'fr-BE', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(t.app.url);
    await page.getByRole('button', { name: "J'ai un code d'accès" }).click();
    await page.getByLabel("Nom d'utilisateur").fill(stranded.username);
    await page.getByLabel("Code d'accès", { exact: true }).fill('AAAA-BBBB-CCCC');
    await page.getByLabel('Nouveau mot de passe').fill('une-phrase-bien-longue');
    await page.getByRole('button', { name: 'Se connecter avec le code' }).click();
    await page.getByRole('alert').filter({ hasText: 'code incorrect' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Typed as heard over the phone: lower case, with spaces.
    await page.getByLabel("Code d'accès", { exact: true }).fill((code ?? '').toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Se connecter avec le code' }).click();
    await page.getByRole('heading', { name: 'Tableau des tâches' }).waitFor();
    await page.getByText(`Connecté : ${stranded.role} ${stranded.username}`).waitFor();
    const login = await t.app
      .anonymous()
      .post('/api/v1/auth/login')
      .send({ username: stranded.username, password: 'une-phrase-bien-longue' });
    expect(login.status).toBe(200);
    await context.close();
    await desk.close();
  });
});
