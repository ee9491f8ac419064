import path from 'node:path';
import type { Page } from 'playwright-core';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, signIn, useBrowserWorld } from './browser';

const bell = (page: Page) => page.locator('header.topbar').getByRole('button', { name: /^Notifications/ });

describe('notifications in the browser', () => {
  const t = useBrowserWorld();

  it('rings the manager’s bell when their task is claimed, lists it, and clears the count once read', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 740 },
    ]) {
      const context = await t.browser.newContext({ locale: 'fr-BE', viewport, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page, t.app, t.w.manager);
      await page.getByRole('button', { name: /^Notifications/ }).waitFor();
      // Whatever an earlier round left unread is read first.
      const { status } = await t.w.manager.agent.post('/api/v1/notifications/read-all');
      expect(status).toBe(200);
      await page.reload();
      await bell(page)
        .and(page.getByRole('button', { name: 'Notifications, aucune non lue' }))
        .waitFor();

      const task = await postTask(t.w.manager);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      // Live: no reload.
      await page.getByRole('button', { name: 'Notifications, 1 non lue(s)' }).waitFor();
      expect(await page.getByTestId('unread-count').textContent()).toBe('1');

      await bell(page).click();
      const panel = page.getByRole('region', { name: 'Notifications' });
      // Newest first: this claim heads the list.
      const link = panel
        .getByRole('link', { name: `Certificat de résidence ${task.code} : prise en charge par ${t.w.helper.name}` })
        .first();
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`#/tasks/${task.id}`);
      const width = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      );
      expect(width).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: path.join(artifacts, `notifications-${viewport.width}.png`), fullPage: true });
      expect(await accessibilityViolations(page)).toEqual([]);

      await panel.getByRole('button', { name: 'Marquer comme lue' }).first().click();
      await page.getByRole('button', { name: 'Notifications, aucune non lue' }).waitFor();
      expect(await page.getByTestId('unread-count').count()).toBe(0);
      await context.close();
    }
  });

  it('lets a clerk set the language and e-mail address of their notifications on a phone', async () => {
    const context = await t.browser.newContext({
      locale: 'fr-BE',
      viewport: { width: 375, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await signIn(page, t.app, t.w.clerk2);
    await page.goto(`${t.app.url}/#/preferences`);
    await page.getByRole('heading', { level: 1, name: 'Préférences' }).waitFor();
    await page.getByLabel('Adresse e-mail (facultative)').fill('pas une adresse');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('alert').waitFor();
    expect((await t.w.clerk2.agent.get('/api/v1/me').expect(200)).body.email).toBeNull();

    await page.getByLabel('Langue des notifications').selectOption('en');
    await page.getByLabel('Adresse e-mail (facultative)').fill('agent@example.org');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('status').filter({ hasText: 'Préférences enregistrées.' }).waitFor();
    expect((await t.w.clerk2.agent.get('/api/v1/me').expect(200)).body).toMatchObject({
      locale: 'en',
      email: 'agent@example.org',
    });
    await page.screenshot({ path: path.join(artifacts, 'preferences-375.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
