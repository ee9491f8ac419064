import path from 'node:path';
import type { Browser } from 'playwright-core';
import { makeWorld, type World } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { accessibilityViolations, artifacts, launchChromium, signIn } from './browser';

describe('incidents in the browser', () => {
  let app: TestApp;
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp('pglite');
    w = await makeWorld(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lets a manager declare an incident for their commune, move it to recovering and close it; the commune status follows', async () => {
    const page = await browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, app, w.manager);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Déclarer un incident' }).waitFor();
    await page.getByLabel('Nature').selectOption('cyberattack');
    await page.getByLabel('Intitulé').fill('Rançongiciel : postes éteints');
    await page.getByLabel('Population').check();
    await page.getByLabel('État civil').check();
    await page.getByRole('button', { name: 'Déclarer' }).click();
    const item = page.getByRole('listitem').filter({ hasText: 'Rançongiciel : postes éteints' });
    await item.getByText('Cyberattaque · Actif').waitFor();
    await item.getByText('Population, État civil').waitFor();
    expect((await w.coordinator.agent.get('/api/v1/communes')).body.items
      .find((c: { id: string }) => c.id === w.stricken.id).status).toBe('incident');
    await page.screenshot({ path: path.join(artifacts, 'incidents.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // A second one for the same commune is refused with the server's reason.
    await page.getByLabel('Intitulé').fill('Encore un');
    await page.getByRole('button', { name: 'Déclarer' }).click();
    await page.getByRole('alert').filter({ hasText: 'already has an open incident' }).waitFor();

    await item.getByRole('button', { name: 'Passer en rétablissement' }).click();
    await item.getByText('Cyberattaque · En rétablissement').waitFor();
    await item.getByRole('button', { name: "Clore l'incident" }).click();
    await item.getByText('Cyberattaque · Clos').waitFor();
    expect(await item.getByRole('button').count()).toBe(0);
    expect((await w.coordinator.agent.get('/api/v1/communes')).body.items
      .find((c: { id: string }) => c.id === w.stricken.id).status).toBe('normal');
    await page.close();
  });
});
