import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { postTask, type World } from '../factories';
import type { TestApp } from '../helpers/test-app';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

/** Signs in and opens the dashboard from the navigation, as a coordinator would. */
async function openDashboard(context: BrowserContext, app: TestApp, w: World): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, app, w.coordinator);
  await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Tableau de bord' }).click();
  await page.getByRole('heading', { level: 1, name: `Tableau de bord — ${w.region.name}` }).waitFor();
  await page.getByRole('status').filter({ hasText: 'En direct' }).waitFor();
  return page;
}

/**
 * The figures of a commune's row, in column order: status, then posted open, claimed, in progress,
 * overdue, done today, then held claimed, in progress, overdue, done today, then throughput (24 h).
 */
async function figures(page: Page, commune: string): Promise<string[]> {
  const row = page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: commune, exact: true }) });
  return (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
}

/** Polls until the row shows `expected` (the live update takes up to half a second to be sent). */
async function waitForFigures(page: Page, commune: string, expected: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await figures(page, commune);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  expect(seen).toEqual(expected);
}

const row = (status: string, posted: number[], held: number[], throughput: number) => [
  status,
  ...posted.map(String),
  ...held.map(String),
  String(throughput),
];

describe('the coordinator dashboard', () => {
  const t = useBrowserWorld();

  it("shows every commune's load of the region in a table and charts, updated live, on a laptop and a phone", async () => {
    // Two requests from the stricken commune; a clerk of the helping commune claims one.
    const first = await postTask(t.w.manager, { title: 'Certificat pour le tableau de bord' });
    const second = await postTask(t.w.manager, { title: 'Composition de ménage', type: 'composition_menage' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);

    const laptop = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    });
    const page = await openDashboard(laptop, t.app, t.w);

    // The table: a caption, the region's communes and none of another region's, with the right figures.
    const table = page.getByRole('table', { name: /Charge par commune/ });
    await table.waitFor();
    await waitForFigures(page, t.w.stricken.name, row('Normale', [1, 1, 0, 0, 0], [0, 0, 0, 0], 0));
    await waitForFigures(page, t.w.helper.name, row('Normale', [0, 0, 0, 0, 0], [1, 0, 0, 0], 0));
    await waitForFigures(page, t.w.helper2.name, row('Normale', [0, 0, 0, 0, 0], [0, 0, 0, 0], 0));
    const communes = await table.locator('tbody').getByRole('rowheader').allTextContents();
    expect(communes.sort()).toEqual([t.w.stricken.name, t.w.helper.name, t.w.helper2.name].sort());
    expect(await table.getByRole('columnheader', { name: /En attente/ }).count()).toBe(1);
    expect(await table.getByRole('columnheader', { name: 'Demandes publiées' }).getAttribute('scope')).toBe('colgroup');
    await waitForFigures(page, 'Total de la région', row('', [1, 1, 0, 0, 0], [1, 0, 0, 0], 0));

    // The charts: recharts draws SVG bars, with a title; the map places the three communes.
    const postedChart = page.getByRole('figure', { name: 'Demandes publiées par commune' });
    const postedSvg = postedChart.getByRole('application', { name: 'Demandes publiées par commune' });
    await postedSvg.waitFor();
    expect(await postedSvg.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect(await postedSvg.getAttribute('tabindex')).toBe('0');
    await postedChart.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.locator('.recharts-bar-rectangle path, path.recharts-rectangle').count()).toBeGreaterThan(0);
    const map = page.getByRole('img', { name: 'Carte des communes' });
    await map.waitFor();
    expect(await map.locator('circle').count()).toBeGreaterThanOrEqual(3);
    expect(await map.locator('desc').textContent()).toContain(`${t.w.stricken.name} : Normale, 1 en attente`);

    // Live: another clerk claims the second request, and the first is completed; no reload.
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await t.w.clerk2.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(200);
    await waitForFigures(page, t.w.stricken.name, row('Normale', [0, 2, 0, 0, 0], [0, 0, 0, 0], 0));
    await waitForFigures(page, t.w.helper2.name, row('Normale', [0, 0, 0, 0, 0], [1, 0, 0, 0], 0));
    // The figures that changed are highlighted for a moment.
    expect(await table.locator('td.changed').count()).toBeGreaterThan(0);

    const started = await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/start`).send({ version: 2 }).expect(200);
    await t.w.clerk.agent
      .post(`/api/v1/tasks/${first.id}/complete`)
      .send({ version: (started.body as { version: number }).version, note: 'Envoyé' })
      .expect(200);
    await waitForFigures(page, t.w.stricken.name, row('Normale', [0, 1, 0, 0, 1], [0, 0, 0, 0], 0));
    await waitForFigures(page, t.w.helper.name, row('Normale', [0, 0, 0, 0, 0], [0, 0, 0, 1], 1));
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // A third request waits in the backlog, to give the screenshot something to show in every state.
    const third = await postTask(t.w.manager, { title: 'Extrait d’acte de naissance', type: 'extrait_acte_naissance' });
    await t.w.clerk2.agent.post(`/api/v1/tasks/${second.id}/start`).send({ version: 2 }).expect(200);
    await waitForFigures(page, t.w.stricken.name, row('Normale', [1, 0, 1, 0, 1], [0, 0, 0, 0], 0));
    expect(third.status).toBe('open');

    // Sorting by a column is one keyboard press on its header.
    await table.getByRole('button', { name: 'En attente' }).focus();
    await page.keyboard.press('Enter');
    expect(await table.getByRole('columnheader', { name: /En attente/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await table.locator('tbody').getByRole('rowheader').first().textContent()).toBe(t.w.stricken.name);

    await page.waitForTimeout(4_500); // the change highlight fades before the screenshot
    await page.screenshot({ path: path.join(artifacts, 'dashboard.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // English, from the language menu.
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: `Dashboard — ${t.w.region.name}` }).waitFor();
    await page.getByRole('table', { name: /Load by commune/ }).waitFor();
    await page.getByRole('figure', { name: 'Posted requests by commune' }).waitFor();
    await laptop.close();

    // A phone: the page itself does not scroll sideways; the table scrolls in its own focusable region.
    const phone = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    });
    const small = await openDashboard(phone, t.app, t.w);
    await waitForFigures(small, t.w.stricken.name, row('Normale', [1, 0, 1, 0, 1], [0, 0, 0, 0], 0));
    await small
      .getByRole('figure', { name: 'Aide apportée par commune' })
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor();
    const scroller = small.getByRole('region', { name: /Tableau de la charge par commune/ });
    expect(await scroller.getAttribute('tabindex')).toBe('0');
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(
      await small.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      ),
    ).toBeLessThanOrEqual(375);
    await scroller.focus();
    await small.keyboard.press('ArrowRight');
    await small.waitForFunction(() => {
      const el = (
        globalThis as unknown as { document: { querySelector: (s: string) => { scrollLeft: number } | null } }
      ).document.querySelector('.table-scroll');
      return (el?.scrollLeft ?? 0) > 0;
    });
    await small.screenshot({ path: path.join(artifacts, 'dashboard-phone.png'), fullPage: true });
    expect(await accessibilityViolations(small)).toEqual([]);
    await phone.close();
  });
});
