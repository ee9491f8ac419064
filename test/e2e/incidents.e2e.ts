import path from 'node:path';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

describe('incidents in the browser', () => {
  const t = useBrowserWorld();

  it('lets a manager declare an incident for their commune, move it to recovering and close it; the commune status follows', async () => {
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.manager);
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
    expect(
      (await t.w.coordinator.agent.get('/api/v1/communes')).body.items.find(
        (c: { id: string }) => c.id === t.w.stricken.id,
      ).status,
    ).toBe('incident');
    await page.screenshot({ path: path.join(artifacts, 'incidents.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // A second one for the same commune is refused with the server's reason, said in French.
    await page.getByLabel('Intitulé').fill('Encore un');
    await page.getByRole('button', { name: 'Déclarer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Cette commune a déjà un incident ouvert' }).waitFor();

    await item.getByRole('button', { name: 'Passer en rétablissement' }).click();
    await item.getByText('Cyberattaque · En rétablissement').waitFor();
    await item.getByRole('button', { name: "Clore l'incident" }).click();
    await item.getByText('Cyberattaque · Clos').waitFor();
    expect(await item.getByRole('button').count()).toBe(0);
    expect(
      (await t.w.coordinator.agent.get('/api/v1/communes')).body.items.find(
        (c: { id: string }) => c.id === t.w.stricken.id,
      ).status,
    ).toBe('normal');
    await page.close();
  });
});
