import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { makeWorld, postTask, type World } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { accessibilityViolations, artifacts, launchChromium, pageWidth, signIn } from './browser';

/** A receiver that refuses every call with a 500, so that the delivery waits for its retry. */
async function startRefusingReceiver() {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls += 1;
      res.writeHead(500).end('down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/entraide`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks and small fixes in the browser', () => {
  jest.setTimeout(120_000);
  let app: TestApp;
  let w: World;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startRefusingReceiver>>;
  beforeAll(async () => {
    receiver = await startRefusingReceiver();
    // The receiver is on this machine: private addresses are allowed here, as in the server's own tests.
    app = await startTestApp('pglite', { WEBHOOK_ALLOW_PRIVATE: 'true', JOBS_CHECK_SECONDS: '0' });
    w = await makeWorld(app);
    browser = await launchChromium();
    // An embedded database and a world of users (scrypt) take long on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await receiver.close();
  });

  it('lets a manager create a webhook on a phone, see its secret once, its deliveries, and delete it', async () => {
    const phone = { width: 375, height: 800 };
    const context = await browser.newContext({ locale: 'fr-BE', viewport: phone, bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, app, w.manager);
    await page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name: 'Préférences' }).click();
    await page.getByRole('link', { name: 'Webhooks : faire appeler votre système quand une tâche change' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('Aucun webhook pour le moment.').waitFor();

    // Nothing chosen: both fields say what is missing, and nothing is created.
    const form = page.getByRole('form', { name: 'Créer un webhook' });
    await form.getByRole('button', { name: 'Créer un webhook' }).click();
    await page.getByText('Indiquez une adresse http:// ou https://.').waitFor();
    await page.getByText('Choisissez au moins un événement.').waitFor();
    expect((await w.manager.agent.get('/api/v1/webhooks')).body.items).toEqual([]);

    await page.getByLabel('Adresse (URL)').fill(receiver.url);
    await page.getByRole('checkbox', { name: /Tâche prise en charge/ }).check();
    await form.getByRole('button', { name: 'Créer un webhook' }).click();
    await page.getByText('Il ne sera plus jamais affiché').waitFor();
    const secret = await page.getByLabel('Secret de signature').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const list = page.getByRole('list', { name: 'Webhooks enregistrés' });
    await list.getByRole('heading', { name: receiver.url }).waitFor();
    await list.getByText('Tâche prise en charge').waitFor();
    const listed = (await w.manager.agent.get('/api/v1/webhooks')).body.items;
    expect(listed).toEqual([expect.objectContaining({ url: receiver.url, events: ['task.claimed'] })]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    await page.getByRole('button', { name: 'J’ai conservé le secret' }).click();
    expect(await page.getByLabel('Secret de signature').count()).toBe(0);

    // A claim is delivered, refused by the receiver: the log shows the attempt and the next retry.
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await app.running.sequencer.flush();
    await app.running.notifier.idle();
    await app.running.scheduler.runDue();
    expect(receiver.calls()).toBe(1);
    await page.getByRole('button', { name: `Journal des envois de ${receiver.url}` }).click();
    const delivery = page.locator('.delivery').first();
    await delivery.getByText('En attente').waitFor();
    await delivery.getByText('1 tentative(s) · Dernière tentative : réponse HTTP 500').waitFor();
    await delivery.getByText(/^Prochain essai : /).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await page.screenshot({ path: path.join(artifacts, 'webhooks-phone.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Supprimer le webhook ${receiver.url}` }).click();
    await page.getByRole('status').filter({ hasText: 'Webhook supprimé.' }).waitFor();
    await page.getByText('Aucun webhook pour le moment.').waitFor();
    expect((await w.manager.agent.get('/api/v1/webhooks')).body.items).toEqual([]);
    await context.close();
  });

  it('says "Due:" in English, names the task type by its label, and lands a coordinator on the dashboard', async () => {
    const title = 'Résidence pour la mutuelle';
    await postTask(w.manager, { title });
    const context = await browser.newContext({ locale: 'fr-BE', bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, app, w.clerk);
    await page.getByLabel('Langue').selectOption('en');
    const card = page.getByRole('article', { name: title });
    await card.waitFor();
    const due = await card.locator('p.meta', { has: page.locator('time') }).innerText();
    expect(due).toMatch(/Due: \S/);
    expect(due).not.toContain('Due :');
    await card.getByRole('link', { name: title }).click();
    const type = page.locator('dt', { hasText: /^Type$/ }).locator('xpath=following-sibling::dd[1]');
    expect(await type.innerText()).toBe('Residence certificate');
    await page.getByLabel('Language').selectOption('fr');
    expect(await type.innerText()).toBe('Certificat de résidence');
    await context.close();

    const desk = await browser.newPage({ locale: 'fr-BE' });
    // signIn waits for the coordinator's landing page: the dashboard, not the board.
    await signIn(desk, app, w.coordinator);
    await desk.getByRole('heading', { level: 1, name: `Tableau de bord — ${w.region.name}` }).waitFor();
    expect(await desk.getByRole('heading', { level: 1, name: 'Tableau des tâches' }).count()).toBe(0);
    const current = desk.getByRole('navigation', { name: 'Rubriques' }).locator('[aria-current="page"]');
    expect(await current.innerText()).toBe('Tableau de bord');
    await desk.close();
  });
});
