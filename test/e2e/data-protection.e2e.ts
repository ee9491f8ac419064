import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeUser, PASSWORD, postTask, type TestUser } from '../factories';
import type { TestApp } from '../helpers/test-app';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

/** A page of its own (cookies and all) at a screen size. */
/** Signs in through the login page and waits for the page the user lands on. */
async function signInTo(page: Page, app: TestApp, username: string, landing: string, password = PASSWORD) {
  await page.goto(app.url);
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
}

/** The width of the page itself: no wider than the screen, so that only tables scroll sideways. */
const section = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Rubriques' }).getByRole('link', { name, exact: true });

/** Retries `check` until it passes: for what the page shows once an answer has arrived. */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const answered = (page: Page, path: string) =>
  page.waitForResponse((r) => r.url().includes(path) && r.request().method() === 'GET');

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  expect(await accessibilityViolations(page)).toEqual([]);
}

describe('data protection in the browser', () => {
  const t = useBrowserWorld();
  const dpoLanding = () => `Journal d'audit — ${t.w.region.name}`;

  it('shows the legal basis beside the citizen data; the DPO finds that read on the audit trail, exports it and checks the chains', async () => {
    const task = await postTask(t.w.manager, { title: 'Certificat pour le DPO' });

    // The requesting manager reads the citizen data, with its legal basis in the interface's language.
    const manager = await newPage(t.browser, laptop);
    await signIn(manager, t.app, t.w.manager);
    await manager.goto(`${t.app.url}/#/tasks/${task.id}`);
    await manager.getByRole('heading', { level: 1, name: 'Certificat pour le DPO' }).waitFor();
    await manager.getByText('Jeanne Dupont').waitFor();
    const basis = manager.locator('dd.legal-basis');
    expect(await manager.locator('dt', { hasText: 'Base légale' }).count()).toBe(1);
    expect(await basis.textContent()).toMatch(/^RGPD art\. 6/);
    await shoot(manager, 'task-legal-basis');
    await manager.getByLabel('Langue').selectOption('en');
    await manager.locator('dt', { hasText: 'Legal basis' }).waitFor();
    expect(await basis.textContent()).toMatch(/^GDPR art\. 6/);
    await manager.context().close();

    // The DPO lands on the audit trail (never the board), and filters it down to citizen data reads.
    const page = await newPage(t.browser, laptop);
    await signInTo(page, t.app, t.w.dpo.username, dpoLanding());
    expect(await section(page, "Journal d'audit").getAttribute('aria-current')).toBe('page');
    for (const name of ['Vérification', 'Protection des données', 'Confirmations de récupération'])
      await section(page, name).waitFor();
    expect(await section(page, 'Tableau des tâches').count()).toBe(0);
    await Promise.all([
      answered(page, '/api/v1/audit?kind=citizen_read'),
      page.getByRole('button', { name: 'Lectures de données citoyennes' }).click(),
    ]);
    expect(await page.getByLabel('Nature').inputValue()).toBe('citizen_read');
    const rows = page.getByRole('table', { name: "Entrées du journal d'audit" }).locator('tbody tr');
    const read = rows.filter({ hasText: `manager ${t.w.manager.username}` }).filter({ hasText: task.id.slice(0, 8) });
    await read.waitFor();
    expect(await read.getByRole('rowheader').textContent()).toBe('Lecture de données citoyennes');
    await read.getByText('Données du citoyen affichées').waitFor();
    await read.getByText(t.w.stricken.name).waitFor();
    // Only reads are listed.
    await eventually(async () => {
      expect(await rows.filter({ hasNotText: 'Lecture de données citoyennes' }).count()).toBe(0);
    });

    // "filter" on the task fills its id in: the trail of that one task.
    await Promise.all([
      answered(page, `taskId=${task.id}`),
      read.getByRole('button', { name: `filtrer sur la tâche ${task.id.slice(0, 8)}` }).click(),
    ]);
    expect(await page.getByLabel('Tâche (identifiant)').inputValue()).toBe(task.id);
    await page.getByRole('status').filter({ hasText: '1 entrée(s) affichée(s).' }).waitFor();

    // A period that ends before it starts: the server's problem, said under the field.
    await page.getByLabel('Du', { exact: true }).fill('2026-11-30');
    await page.getByLabel('Au (inclus)').fill('2026-11-01');
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Corrigez les champs indiqués.' }).waitFor();
    await page.getByText('ne peut pas précéder la date de début').waitFor();
    expect(await page.getByLabel('Au (inclus)').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Du', { exact: true }).fill('');
    await page.getByLabel('Au (inclus)').fill('');
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '1 entrée(s) affichée(s).' }).waitFor();
    await eventually(async () => {
      expect(await page.getByRole('alert').count()).toBe(0);
    });

    // The CSV of the same filters: downloaded by the browser, with the session.
    const link = page.getByRole('link', { name: 'Télécharger en CSV (mêmes filtres)' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toContain('kind=citizen_read');
    expect(href).toContain(`taskId=${task.id}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('entraide-audit.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.replace(/^\uFEFF/, '')).toMatch(/^seq,at,kind,actor,/);
    expect(csv).toContain('citizen_read');
    expect(csv).toContain(task.id);
    expect(csv).not.toContain('Jeanne Dupont');
    const response = await page.request.get(`${t.app.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    await shoot(page, 'audit');

    // The export is itself on the trail.
    await page.getByRole('button', { name: 'Tout le journal' }).click();
    await rows.filter({ hasText: "export CSV du journal d'audit" }).first().waitFor();
    await rows.filter({ hasText: 'nature Lecture de données citoyennes' }).first().waitFor();

    // The chain check: both chains intact, their heads shown to keep; a head kept earlier holds.
    await section(page, 'Vérification').click();
    await page.getByRole('heading', { level: 1, name: 'Vérification des chaînes' }).waitFor();
    await page.getByRole('button', { name: 'Lancer la vérification' }).click();
    const events = page.getByRole('region', { name: 'Événements des tâches et incidents — Intacte' });
    const audit = page.getByRole('region', { name: "Journal d'audit — Intacte" });
    await events.waitFor();
    await audit.waitFor();
    await events.getByText('Tous les maillons sont en place.').waitFor();
    const head = (await audit.locator('code.head').textContent()) ?? '';
    expect(head).toMatch(/^\d+:[0-9a-f]{64}$/);
    await page.getByLabel("Tête relevée du journal d'audit (facultatif)").fill(` ${head} `);
    const [anchored] = await Promise.all([
      answered(page, `/api/v1/audit/verify?auditHead=${encodeURIComponent(head)}`),
      page.getByRole('button', { name: 'Lancer la vérification' }).click(),
    ]);
    expect(((await anchored.json()) as { audit: { ok: boolean } }).audit.ok).toBe(true);
    await audit.waitFor();
    // A head that the chain no longer holds (the end cut off and rebuilt): the first broken link.
    const [seq] = head.split(':');
    await page.getByLabel("Tête relevée du journal d'audit (facultatif)").fill(`${seq ?? ''}:${'0'.repeat(64)}`);
    await page.getByRole('button', { name: 'Lancer la vérification' }).click();
    const broken = page.getByRole('region', { name: "Journal d'audit — Rompue" });
    await broken
      .getByText(`Premier maillon rompu : n° ${seq ?? ''} — la tête relevée ne se trouve plus dans la chaîne.`)
      .waitFor();
    await shoot(page, 'chain-check-broken');
    await page.getByLabel("Tête relevée du journal d'audit (facultatif)").fill('');
    // A head mistyped: said under its field.
    await page.getByLabel('Tête relevée de la chaîne des événements (facultatif)').fill('12:abc');
    await page.getByRole('button', { name: 'Lancer la vérification' }).click();
    await page.getByText('doit être un numéro et une empreinte : 123:<64 chiffres hexadécimaux>').waitFor();
    await page.getByLabel('Tête relevée de la chaîne des événements (facultatif)').fill('');
    await page.getByRole('button', { name: 'Lancer la vérification' }).click();
    await audit.waitFor();
    await shoot(page, 'chain-check');
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Chain check' }).waitFor();
    await page.getByRole('region', { name: 'Audit trail — Intact' }).waitFor();
    await page.context().close();
  });

  it('lets the DPO set the retention and legal bases: a bad number of days is refused on its field', async () => {
    const settingsOf = async () =>
      (await t.w.dpo.agent.get(`/api/v1/regions/${t.w.region.id}/data-protection`).expect(200)).body as {
        citizenRetentionDays: number;
        regional: boolean;
        legalBases: { taskType: string; fr: string; en: string; regional: boolean }[];
      };
    const page = await newPage(t.browser, laptop);
    await signInTo(page, t.app, t.w.dpo.username, dpoLanding());
    await section(page, 'Protection des données').click();
    await page.getByRole('heading', { level: 1, name: `Protection des données — ${t.w.region.name}` }).waitFor();
    const days = page.getByLabel('Jours de conservation (1 à 3650)');
    const save = page.getByRole('button', { name: 'Enregistrer' });

    await days.fill('0');
    await save.click();
    await page.getByRole('alert').filter({ hasText: 'Corrigez les champs indiqués.' }).waitFor();
    await page.getByText('doit valoir au moins 1').waitFor();
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    expect((await settingsOf()).regional).toBe(false);

    await days.fill('90');
    await save.click();
    await page.getByRole('status').filter({ hasText: 'Réglages enregistrés.' }).waitFor();
    await page.getByText('Actuellement : 90 jours, fixés par la région.').waitFor();
    expect(await days.getAttribute('aria-invalid')).toBeNull();
    expect(await settingsOf()).toMatchObject({ citizenRetentionDays: 90, regional: true });

    // The region words a legal basis, then goes back to the platform's.
    const residence = page.getByRole('group', { name: /^Certificat de résidence/ });
    const platformText = await residence.getByLabel('En français').inputValue();
    await residence.getByLabel('En français').fill('Base légale de la région (RGPD art. 6.1.e).');
    await residence.getByLabel('En anglais').fill("The region's legal basis (GDPR art. 6(1)(e)).");
    expect(await residence.getByLabel('Utiliser le texte de la plateforme').isChecked()).toBe(false);
    await save.click();
    await page.getByRole('status').filter({ hasText: 'Réglages enregistrés.' }).waitFor();
    await residence.getByText('Texte de la région').waitFor();
    const worded = (await settingsOf()).legalBases.find((b) => b.taskType === 'certificat_residence');
    expect(worded).toMatchObject({ fr: 'Base légale de la région (RGPD art. 6.1.e).', regional: true });
    await shoot(page, 'data-protection');

    await residence.getByLabel('Utiliser le texte de la plateforme').check();
    expect(await residence.getByLabel('En français').inputValue()).toBe(platformText);
    await page.getByLabel('Utiliser le délai par défaut de la plateforme (30 jours)').check();
    await save.click();
    await page.getByText('Actuellement : 30 jours, délai par défaut de la plateforme.').waitFor();
    const back = await settingsOf();
    expect(back).toMatchObject({ citizenRetentionDays: 30, regional: false });
    expect(back.legalBases.find((b) => b.taskType === 'certificat_residence')).toMatchObject({
      fr: platformText,
      regional: false,
    });
    await save.click();
    await page.getByRole('status').filter({ hasText: "Rien n'a changé" }).waitFor();
    await page.context().close();
  });

  it('tells a clerk whose password the admin reset that citizen data waits for a second person, until a manager confirms', async () => {
    const clerk = await makeUser(t.app, 'clerk', { communeId: t.w.stricken.id });
    const task = await postTask(t.w.manager, {
      title: 'Composition pour un compte récupéré',
      type: 'composition_menage',
    });
    const newPassword = 'un-nouveau-mot-de-passe-sur';
    await t.w.admin.agent.patch(`/api/v1/users/${clerk.id}`).send({ password: newPassword }).expect(200);

    // The clerk signs in: the banner says who reset the password, and that citizen data waits.
    const page = await newPage(t.browser, laptop);
    await signInTo(page, t.app, clerk.username, 'Tableau des tâches', newPassword);
    const banner = page.getByRole('region', { name: 'Votre compte a été récupéré' });
    await banner.getByText(`réinitialisé par admin ${t.w.admin.username}`).waitFor();
    await banner.getByText('Pas encore confirmé par une deuxième personne.').waitFor();
    await banner.getByText(/Les données des citoyens restent masquées/).waitFor();
    await shoot(page, 'recovery-banner');
    await page.goto(`${t.app.url}/#/tasks/${task.id}`);
    await page.getByRole('heading', { level: 1, name: 'Composition pour un compte récupéré' }).waitFor();
    await page.getByText(/Les données du citoyen sont masquées : votre compte a été récupéré/).waitFor();
    expect(await page.getByText('Jeanne Dupont').count()).toBe(0);
    await shoot(page, 'task-withheld');

    // The DPO has the list open too; the manager of the commune confirms first.
    const dpo = await newPage(t.browser, laptop);
    await openRecoveries(dpo, t.app, t.w.dpo, dpoLanding());
    const manager = await newPage(t.browser, laptop);
    await openRecoveries(manager, t.app, t.w.manager, 'Tableau des tâches');
    const row = manager.getByRole('row').filter({ hasText: clerk.username });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'Agent',
      'mot de passe réinitialisé',
      `admin ${t.w.admin.username}`,
      expect.stringMatching(/\d{4}/),
      'Confirmer…',
    ]);
    await shoot(manager, 'recoveries');
    await row.getByRole('button', { name: `Confirmer la récupération du compte de clerk ${clerk.username}` }).click();
    const dialog = manager.getByRole('dialog', {
      name: `Confirmer la récupération du compte de clerk ${clerk.username} ?`,
    });
    await dialog.getByText('est entre les mains de son titulaire').waitFor();
    await shoot(manager, 'recoveries-confirm');
    await dialog.getByRole('button', { name: 'Je confirme' }).click();
    await manager
      .getByRole('status')
      .filter({ hasText: `Récupération du compte de clerk ${clerk.username} confirmée.` })
      .waitFor();
    await manager.getByText("Aucune récupération n'attend votre confirmation.").waitFor();

    // The DPO, a moment late, is told as the server says it.
    await dpo.getByRole('button', { name: `Confirmer la récupération du compte de clerk ${clerk.username}` }).click();
    await dpo.getByRole('dialog').getByRole('button', { name: 'Je confirme' }).click();
    await dpo.getByRole('alert').filter({ hasText: 'Cette récupération est déjà confirmée.' }).waitFor();

    // The clerk, on the next page, reads the citizen data; the banner says who confirmed, then is hidden.
    await page.goto(`${t.app.url}/#/board`);
    await page.getByRole('heading', { level: 1, name: 'Tableau des tâches' }).waitFor();
    await banner.getByText(`Confirmé par manager ${t.w.manager.username}`).waitFor();
    expect(await banner.getByText(/restent masquées/).count()).toBe(0);
    await page.goto(`${t.app.url}/#/tasks/${task.id}`);
    await page.getByText('Jeanne Dupont').waitFor();
    expect(await page.getByText(/Les données du citoyen sont masquées/).count()).toBe(0);
    await banner.getByRole('button', { name: 'Masquer ce message' }).click();
    expect(await banner.count()).toBe(0);
    await page.reload();
    await page.getByText('Jeanne Dupont').waitFor();
    expect(await banner.count()).toBe(0);
    for (const p of [page, dpo, manager]) await p.context().close();
  });

  it('fits a phone: the pages do not scroll sideways, only the tables in their own region', async () => {
    const clerk = await makeUser(t.app, 'clerk', { communeId: t.w.stricken.id });
    await t.w.admin.agent.patch(`/api/v1/users/${clerk.id}`).send({ password: 'encore-un-mot-de-passe' }).expect(200);

    const page = await newPage(t.browser, phone);
    await signInTo(page, t.app, t.w.dpo.username, dpoLanding());
    const table = page.getByRole('region', { name: 'Entrées du journal (défilement horizontal)' });
    await table.waitFor();
    expect(await table.getAttribute('tabindex')).toBe('0');
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await shoot(page, 'audit-phone');

    await page.goto(`${t.app.url}/#/chain-check`);
    await page.getByRole('button', { name: 'Lancer la vérification' }).click();
    await page.getByRole('region', { name: "Journal d'audit — Intacte" }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await shoot(page, 'chain-check-phone');

    await page.goto(`${t.app.url}/#/data-protection`);
    await page.getByLabel('Jours de conservation (1 à 3650)').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await shoot(page, 'data-protection-phone');

    await page.goto(`${t.app.url}/#/recoveries`);
    await page.getByRole('row').filter({ hasText: clerk.username }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    await shoot(page, 'recoveries-phone');
    await page.context().close();

    const clerkPage = await newPage(t.browser, phone);
    await signInTo(clerkPage, t.app, clerk.username, 'Tableau des tâches', 'encore-un-mot-de-passe');
    await clerkPage.getByRole('region', { name: 'Votre compte a été récupéré' }).waitFor();
    expect(await pageWidth(clerkPage)).toBeLessThanOrEqual(phone.width);
    await shoot(clerkPage, 'recovery-banner-phone');
    await clerkPage.context().close();
  });
});

async function openRecoveries(page: Page, app: TestApp, user: TestUser, landing: string) {
  await signInTo(page, app, user.username, landing);
  await section(page, 'Confirmations de récupération').click();
  await page.getByRole('heading', { level: 1, name: 'Confirmations de récupération' }).waitFor();
}
