import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../factories';
import { accessibilityViolations, artifacts, pageWidth, useBrowserWorld } from './browser';

const phone = { width: 375, height: 812 };

/** The width of the page itself: no wider than the screen. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
}

describe('the admin console in the browser', () => {
  const t = useBrowserWorld();

  it('lands the admin on the console, where a commune and an account are created and the account deactivated', async () => {
    const context = await t.browser.newContext({ locale: 'fr-BE', viewport: phone, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(t.app.url);
    await page.getByLabel("Nom d'utilisateur").fill(t.w.admin.username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration de la plateforme' }).waitFor();
    // Not the board, and nothing offline.
    expect(await page.getByRole('heading', { name: 'Tableau des tâches' }).count()).toBe(0);
    expect(await page.getByText('Hors ligne').count()).toBe(0);
    await page.getByRole('tab', { name: 'Comptes', selected: true }).waitFor();
    await page.getByRole('listitem').filter({ hasText: t.w.clerk.username }).waitFor();
    await shoot(page, 'admin-users');

    // A commune: first with mistakes, shown beside their fields, then right.
    await page.getByRole('tab', { name: 'Communes' }).click();
    const communeName = `Huy ${crypto.randomBytes(3).toString('hex')}`;
    const code = String(10000 + crypto.randomInt(89999));
    await page.getByLabel('Nom', { exact: true }).fill(communeName);
    await page.getByLabel('Code officiel (INS/NIS)').fill('61');
    await page.getByLabel('Région').first().selectOption({ label: t.w.region.name });
    await page.getByLabel('Latitude (−90 à 90)').fill('95');
    await page.getByLabel('Longitude (−180 à 180)').fill('5,2394');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Corrigez les champs indiqués.' }).waitFor();
    const latitude = page.getByLabel('Latitude (−90 à 90)');
    expect(await latitude.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('doit valoir au plus 90').waitFor();
    await page.getByText('doit être un code INS de 5 chiffres (ou INSEE de 5 caractères), par ex. 62063').waitFor();
    await shoot(page, 'admin-commune-errors');
    await page.getByLabel('Code officiel (INS/NIS)').fill(code);
    await latitude.fill('50,5189');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `« ${communeName} » est créé.` })
      .waitFor();
    await page.getByRole('listitem').filter({ hasText: communeName }).filter({ hasText: code }).waitFor();

    // An account in that commune.
    await page.getByRole('tab', { name: 'Comptes' }).click();
    const username = `huy.clerk.${crypto.randomBytes(3).toString('hex')}`;
    await page.getByLabel("Nom d'utilisateur").fill(username);
    await page.getByLabel('Nom affiché').fill('Agent de Huy');
    await page.getByLabel('Rôle', { exact: true }).first().selectOption('clerk');
    await page.getByLabel('Commune', { exact: true }).selectOption({ label: `${communeName} (${t.w.region.name})` });
    await page.getByLabel('Mot de passe initial').fill('une-phrase-de-passe');
    await page.getByRole('button', { name: 'Créer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `« ${username} » est créé.` })
      .waitFor();
    const card = page.getByRole('listitem').filter({ hasText: username });
    await card.filter({ hasText: communeName }).waitFor();
    const signIn = () =>
      t.app.anonymous().post('/api/v1/auth/login').send({ username, password: 'une-phrase-de-passe' });
    expect((await signIn()).status).toBe(200);

    // Deactivated after a confirmation; cancelling first changes nothing.
    const deactivate = page.getByRole('button', { name: `Désactiver — ${username}` });
    await deactivate.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Désactiver le compte de Agent de Huy (${username})`).waitFor();
    await shoot(page, 'admin-confirm');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    // Focus is back on the button that asked.
    expect(await deactivate.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await signIn()).status).toBe(200);
    await deactivate.click();
    await dialog.getByRole('button', { name: 'Désactiver' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Le compte ${username} est désactivé.` })
      .waitFor();
    await card.filter({ hasText: 'Désactivé' }).waitFor();
    expect((await signIn()).status).toBe(401);

    // A new password, shown once.
    await page.getByRole('button', { name: `Nouveau mot de passe — ${t.w.clerk2.username}` }).click();
    await dialog.getByRole('button', { name: 'Nouveau mot de passe' }).click();
    const secret = page.locator('code.secret');
    await secret.waitFor();
    const password = await secret.innerText();
    const login = await t.app.anonymous().post('/api/v1/auth/login').send({ username: t.w.clerk2.username, password });
    expect(login.status).toBe(200);
    expect(login.body.user.citizenBarred).toBe(true);
    await shoot(page, 'admin-new-password');
    await page.getByRole('button', { name: "J'ai noté, masquer" }).click();
    expect(await secret.count()).toBe(0);

    // Taking away a second factor the account does not have is refused, and said so.
    await page.getByRole('button', { name: `Retirer le second facteur — ${t.w.clerk2.username}` }).click();
    await dialog.getByRole('button', { name: 'Retirer le second facteur' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ce compte n’a pas de second facteur.' }).waitFor();
    await context.close();
  });
});
