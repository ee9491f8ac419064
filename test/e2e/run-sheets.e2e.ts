import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

const pageWidth = async (page: import('playwright-core').Page) =>
  Number(await page.evaluate('document.documentElement.scrollWidth'));

describe('paper run-sheets and the hand-back journal in the browser', () => {
  const t = useBrowserWorld();

  it('prints a run-sheet of what the commune holds, then types its results back on a phone', async () => {
    const first = await postTask(t.w.manager, { title: 'Certificat pour le guichet' });
    const second = await postTask(t.w.manager, { title: 'Extrait pour la mutuelle', citizen: undefined });
    for (const task of [first, second]) await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);

    const phone = await t.browser.newContext({
      viewport: { width: 375, height: 800 },
      locale: 'fr-BE',
      bypassCSP: true,
    });
    const page = await phone.newPage();
    await signIn(page, t.app, t.w.clerk);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Feuilles de route' }).click();
    await page.getByRole('heading', { name: 'Feuille de route papier' }).waitFor();
    await page.getByRole('checkbox', { name: new RegExp(first.code) }).check();
    await page.getByRole('checkbox', { name: new RegExp(second.code) }).check();
    await page.getByText('2 tâche(s) choisie(s)').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Préparer la feuille' }).click();

    // The sheet as it prints: the codes, what to do, the citizen the holder may read, the boxes.
    await page.getByRole('heading', { name: `Feuille de route — ${t.w.helper.name}` }).waitFor();
    await page.emulateMedia({ media: 'print' });
    const sheet = page.locator('.run-sheet');
    for (const code of [first.code, second.code])
      expect(await sheet.getByText(code, { exact: true }).isVisible()).toBe(true);
    expect(await sheet.getByText('Jeanne Dupont').isVisible()).toBe(true);
    expect(await sheet.getByText('Fait', { exact: true }).count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Imprimer la feuille' }).isVisible()).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'run-sheet-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Typed back: a code copied wrong is flagged at once, and nothing is sent until it is right.
    await page
      .getByRole('navigation', { name: 'Rubriques' })
      .getByRole('link', { name: 'Saisie des feuilles' })
      .click();
    await page.getByRole('heading', { name: 'Saisir une feuille de route' }).waitFor();
    const last = first.code.charAt(first.code.length - 1);
    const wrong = `${first.code.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    const line1 = page.getByRole('group', { name: 'Ligne 1' });
    await line1.getByLabel('Code').fill(wrong.toLowerCase());
    await line1.getByText('Code erroné : un caractère est faux ou deux sont inversés').waitFor();
    await line1.getByLabel('Code').fill(first.code.toLowerCase());
    await line1.getByText('Code valide').waitFor();
    await line1.getByLabel('Remarque').fill('Remis au guichet');
    const line2 = page.getByRole('group', { name: 'Ligne 2' });
    await line2.getByLabel('Code').fill(second.code);
    await line2.getByRole('radio', { name: 'Pas fait' }).check();
    await line2.getByLabel('Remarque').fill('Citoyen injoignable');
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'run-sheet-reconcile.png'), fullPage: true });
    await page.getByRole('button', { name: 'Appliquer la feuille' }).click();
    await page.getByText('2 ligne(s) appliquée(s), 0 refusée(s).').waitFor();
    await page.getByText('Terminée').waitFor();
    await page.getByText('Remise sur le tableau').waitFor();

    const done = await t.w.clerk.agent.get(`/api/v1/tasks/${first.id}`).expect(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'Remis au guichet' });
    const released = await t.w.manager.agent.get(`/api/v1/tasks/${second.id}`).expect(200);
    expect(released.body).toMatchObject({ status: 'open', claimedByCommuneId: null });
    await phone.close();
  });

  it('shows the commune’s manager its hand-back journal, to print or download', async () => {
    const task = await postTask(t.w.manager, { title: 'Composition de ménage' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const page = await t.browser.newPage({ locale: 'fr-BE', bypassCSP: true });
    await signIn(page, t.app, t.w.manager);
    await page
      .getByRole('navigation', { name: 'Rubriques' })
      .getByRole('link', { name: 'Journal de restitution' })
      .click();
    await page.getByRole('button', { name: 'Afficher' }).click();
    const table = page.getByRole('region', { name: /Journal de restitution/ });
    await table.getByText(task.code).first().waitFor();
    expect(await table.getByText(`clerk ${t.w.clerk.username}`).count()).toBeGreaterThan(0);
    expect(await table.getByText('Jeanne Dupont').count()).toBeGreaterThan(0);
    const csv = page.getByRole('link', { name: 'Télécharger en CSV' });
    expect(await csv.getAttribute('href')).toContain(`/api/v1/communes/${t.w.stricken.id}/journal?`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(artifacts, 'journal-print.png'), fullPage: true });
    expect(await page.getByRole('button', { name: 'Afficher' }).isVisible()).toBe(false);
    await page.close();
  });
});
