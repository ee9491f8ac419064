import path from 'node:path';
import type { Page } from 'playwright-core';
import { reportDay } from '../../shared/schemas';
import { makeCommune, makeUser, postTask } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

/** The cells of a commune's row (or the total's) in the daily report's table. */
async function cells(page: Page, rowName: string): Promise<string[]> {
  const row = page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: rowName, exact: true }) });
  return (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
}

/** The pages of a PDF, as Chromium prints them. */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;

describe("the coordinator's daily report", () => {
  const t = useBrowserWorld();

  it('shows the day per commune in a table and charts, downloads CSV, prints on one A4 page, in French and English', async () => {
    const { manager, clerk } = t.w;
    // Eight communes, as in the demo's Liège region: the print must still fit one page.
    for (const name of ['Ans', 'Herstal', 'Seraing', 'Visé', 'Flémalle']) await makeCommune(t.app, t.w.region.id, name);
    // Today: three requests of the stricken commune, one already late; the helper claims two and completes one.
    await postTask(manager, { title: 'En retard', dueAt: new Date(Date.now() - 3_600_000).toISOString() });
    const claimed = await postTask(manager, { title: 'Prise en charge' });
    const done = await postTask(manager, { title: 'Terminée' });
    await clerk.agent.post(`/api/v1/tasks/${claimed.id}/claim`).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${done.id}/claim`).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${done.id}/start`).send({ version: 2 }).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${done.id}/complete`).send({ version: 3, minutesSpent: 25 }).expect(200);

    const context = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await signIn(page, t.app, t.w.coordinator);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Rapport du jour' }).click();
    const today = reportDay(new Date());
    await page.getByRole('heading', { level: 1, name: `Rapport du ${today}` }).waitFor();
    await page.getByRole('table').waitFor();

    // Posted, claimed, done, overdue, backlog, then the median delays.
    const stricken = await cells(page, t.w.stricken.name);
    expect(stricken.slice(0, 5)).toEqual(['3', '0', '0', '1', '2']);
    expect(stricken[5]).toMatch(/min$/);
    expect(stricken[6]).toMatch(/min$/);
    expect(await cells(page, t.w.helper.name)).toEqual(['0', '2', '1', '0', '0', '—', '—']);
    expect(await cells(page, t.w.helper2.name)).toEqual(['0', '0', '0', '0', '0', '—', '—']);
    expect((await cells(page, 'Total de la région')).slice(0, 5)).toEqual(['3', '2', '1', '1', '2']);
    expect(await page.getByText('Les jours sont ceux de Bruxelles (Europe/Brussels).').count()).toBe(1);

    // Two charts, drawn by recharts as the dashboard's are.
    for (const name of ['Activité du jour', 'Fin du jour']) {
      await page.getByRole('figure', { name }).locator('svg.recharts-surface').first().waitFor();
    }
    // The CSV link downloads the same day with the session.
    const csvHref = await page.getByRole('link', { name: 'Télécharger en CSV' }).getAttribute('href');
    expect(csvHref).toBe(`/api/v1/reports/daily?date=${today}&format=csv`);
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref ?? '');
    expect(csv).toContain(`${today},TOTAL,3,2,1,1,2,`);

    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'reports-daily.png'), fullPage: true });

    // The print view: the report alone, on one A4 page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Rubriques' }).isVisible()).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'reports-daily-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdfPages(pdf)).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    // Another day, then English.
    await page.getByLabel('Jour', { exact: true }).fill('2026-01-05');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapport du 2026-01-05' }).waitFor();
    await page.getByRole('table').waitFor();
    expect((await cells(page, 'Total de la région')).slice(0, 5)).toEqual(['0', '0', '0', '0', '0']);
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Report of 2026-01-05' }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Median time to claim' }).count()).toBe(1);
    await context.close();

    // A phone: the table scrolls on its own, the page does not.
    const phone = await t.browser.newContext({ locale: 'fr-BE', viewport: { width: 375, height: 800 } });
    const small = await phone.newPage();
    await signIn(small, t.app, t.w.coordinator);
    await small.goto(`${t.app.url}/#/reports`);
    await small.getByRole('table').waitFor();
    const width = await small.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);
    await small.screenshot({ path: path.join(artifacts, 'reports-daily-phone.png'), fullPage: true });
    await phone.close();
  });

  it('shows a cost statement with its subtotals, closes a past one and prints its sign-off', async () => {
    // A commune of its own, helped once today by the helper's clerk: 90 minutes.
    const { clerk } = t.w;
    const helped = await makeCommune(t.app, t.w.region.id, 'Chaudfontaine');
    const manager = await makeUser(t.app, 'manager', { communeId: helped.id });
    const task = await postTask(manager, { title: 'Pour le décompte' });
    await clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    await clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3, minutesSpent: 90 }).expect(200);

    const context = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signIn(page, t.app, t.w.coordinator);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Décomptes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Décompte entre communes' }).waitFor();

    await page.getByLabel('Taux horaire (€)').fill('40');
    await page.getByRole('button', { name: 'Enregistrer le taux' }).click();
    await page.getByRole('status').filter({ hasText: 'Taux enregistré' }).waitFor();

    const today = reportDay(new Date());
    await page.getByLabel('Du', { exact: true }).fill(today);
    await page.getByLabel('Au (compris)').fill(today);
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByText('Non clôturé : les chiffres peuvent encore changer.').waitFor();
    // Its line, then its subtotal: helper, helped, type or "Sous-total", tasks, minutes, amount at 40 € an hour.
    const rows = page.getByRole('row').filter({ hasText: 'Chaudfontaine' });
    const texts = async (i: number) =>
      (await rows.nth(i).getByRole('cell').allTextContents()).map((c) => c.replace(/\s/g, ' ').trim());
    expect(await rows.count()).toBe(2);
    expect(await texts(0)).toEqual(['Chaudfontaine', 'certificat_residence', '1', '90', '60,00 €']);
    expect(await texts(1)).toEqual(['Chaudfontaine', 'Sous-total', '1', '90', '60,00 €']);
    await page.getByRole('rowheader', { name: 'Total de la région' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // A day that has ended: closed, then signed off on screen and on paper.
    await page.getByLabel('Du', { exact: true }).fill('2026-01-05');
    await page.getByLabel('Au (compris)').fill('2026-01-05');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByText('Aucune tâche terminée sur cette période.').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Clôturer ce décompte' }).click();
    const signOff = page.locator('.sign-off');
    await signOff.waitFor();
    expect(await signOff.textContent()).toContain(`Validé par coordinator ${t.w.coordinator.username} le`);
    await page.getByRole('heading', { name: 'Décomptes clôturés' }).waitFor();
    await page.getByRole('button', { name: 'Du 2026-01-05 au 2026-01-05' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await signOff.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Clôturer ce décompte' }).count()).toBe(0);
    expect(await page.getByLabel('Taux horaire (€)').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'reports-statement-print.png'), fullPage: true });
    await context.close();
  });
});
