import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, pageWidth, signIn, useBrowserWorld } from './browser';

/** The page does not scroll sideways. */
describe('the burn-down', () => {
  const t = useBrowserWorld();

  it('shows the stricken commune’s backlog and outlook on the dashboard and on its own board, on a phone, live', async () => {
    await t.w.manager.agent.post('/api/v1/incidents').send({ kind: 'cyberattack', title: 'Rançongiciel' }).expect(201);
    const first = await postTask(t.w.manager, { title: 'Certificat à résorber' });
    await postTask(t.w.manager, { title: 'Composition à résorber', type: 'composition_menage' });
    await postTask(t.w.manager, { title: 'Extrait à résorber', type: 'extrait_acte_naissance' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/start`).send({ version: 2 }).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/complete`).send({ version: 3 }).expect(200);

    // The coordinator's dashboard on a phone, in French: 2 pending, 3 posted and 1 done in 24 h.
    const phone = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    });
    const page = await phone.newPage();
    await signIn(page, t.app, t.w.coordinator);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Tableau de bord' }).click();
    const section = page.getByRole('region', { name: 'Résorption des demandes' });
    const panel = section.getByRole('article', { name: t.w.stricken.name });
    await panel.getByText('2 en attente').waitFor();
    await panel.getByText('Dernières 24 h : 3 publiées, 1 terminées, 0 annulées').waitFor();
    await panel.locator('.burndown-outlook', { hasText: /^Ne se résorbe pas/ }).waitFor();
    // Only the commune in incident has a burn-down.
    expect(await section.getByRole('article').count()).toBe(1);
    const chart = panel.getByRole('figure', { name: 'Demandes en attente, heure par heure' });
    await chart.locator('.recharts-line-curve').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);

    // Live: a fourth request, and the panel says so without a reload (throttled: within 15 s).
    await postTask(t.w.manager, { title: 'Quatrième demande' });
    await panel.getByText('3 en attente').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'burndown-dashboard-phone.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // In English, for a 7-day period.
    await page.getByLabel('Langue').selectOption('en');
    const english = page.getByRole('region', { name: 'Burn-down' });
    await english.getByLabel('Period').selectOption({ label: '7 days' });
    await english.getByRole('article', { name: t.w.stricken.name }).getByText('3 pending').waitFor();
    await english.locator('.burndown-outlook', { hasText: /^Not converging/ }).waitFor();
    await phone.close();

    // The stricken commune's manager lands on the board: one line, the chart once opened.
    const own = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
      reducedMotion: 'reduce',
    });
    const board = await own.newPage();
    await signIn(board, t.app, t.w.manager);
    const summary = board.getByText('Résorption de vos demandes');
    await board.getByText('3 en attente, ne se résorbe pas').waitFor();
    expect(await board.locator('.recharts-surface').count()).toBe(0);
    await summary.click();
    await board
      .getByRole('figure', { name: 'Demandes en attente, heure par heure' })
      .locator('.recharts-line-curve')
      .waitFor();
    expect(await pageWidth(board)).toBeLessThanOrEqual(375);
    await board.screenshot({ path: path.join(artifacts, 'burndown-board-phone.png'), fullPage: true });
    expect(await accessibilityViolations(board)).toEqual([]);
    await own.close();

    // A helping commune's clerk has no burn-down on the board.
    const helper = await t.browser.newContext({ locale: 'fr-BE', viewport: { width: 375, height: 800 } });
    const helperBoard = await helper.newPage();
    await signIn(helperBoard, t.app, t.w.clerk);
    expect(await helperBoard.getByText('Résorption de vos demandes').count()).toBe(0);
    await helper.close();
  });
});
