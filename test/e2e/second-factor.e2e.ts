import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { makeUser, PASSWORD } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

const STEP = 30_000;
const codeNow = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() });

describe('the second factor in the browser', () => {
  const t = useBrowserWorld();

  it('enrols an authenticator app from the security page, then signs in with its code', async () => {
    const clerk = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const context = await t.browser.newContext({
      locale: 'fr-BE',
      bypassCSP: true,
      viewport: { width: 375, height: 800 },
    });
    const page = await context.newPage();
    await signIn(page, t.app, clerk);

    await page.getByRole('link', { name: 'Sécurité' }).click();
    await page.getByRole('heading', { name: 'Sécurité du compte' }).waitFor();
    await page.getByRole('button', { name: 'Enregistrer une application' }).click();
    await page.getByRole('img', { name: "Code QR à scanner avec l'application d'authentification" }).waitFor();
    const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.screenshot({ path: path.join(artifacts, 'second-factor-enrol.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    const enrolmentCode = codeNow(secret);
    await page.getByLabel('Code à 6 chiffres').fill(enrolmentCode);
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
    expect(await page.locator('.codes li').count()).toBe(10);
    await page.getByRole('button', { name: "Je les ai mis à l'abri" }).click();
    await page.getByText('Second facteur activé depuis le').waitFor();
    await page.getByText('Codes de secours restants : 10.').waitFor();

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByLabel("Nom d'utilisateur").fill(clerk.username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de vérification' }).waitFor();
    const codeField = page.getByLabel('Code à 6 chiffres');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    // The code used at enrolment is good once: typed again, it is refused.
    await codeField.fill(enrolmentCode);
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('alert').filter({ hasText: 'a déjà servi' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The app's next code signs in.
    await page.waitForTimeout(STEP - (Date.now() % STEP) + 200);
    await codeField.fill(codeNow(secret));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByText(`Connecté : ${clerk.role} ${clerk.username}`).waitFor();
    // Signed in where they left: the security page, which now says the factor is on.
    await page.getByText('Second facteur activé depuis le').waitFor();
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Tableau des tâches' }).click();
    await page.getByRole('heading', { name: 'Tableau des tâches' }).waitFor();
    await context.close();
  }, 120_000);
});
