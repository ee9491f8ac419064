import path from 'node:path';
import { makeUser, postTask } from '../factories';
import { reportDay } from '../../shared/schemas';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

describe('suggestions in the browser', () => {
  const t = useBrowserWorld();

  it('lets a manager offer capacity, and a clerk on a phone see why a task is suggested and claim it in one click', async () => {
    const manager = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
    const task = await postTask(t.w.manager, {
      title: 'Passeport à préparer',
      type: 'rdv_passeport',
      priority: 'urgent',
    });

    // The helping commune's manager offers passports, today.
    const office = await newPage(t.browser, laptop);
    await signIn(office, t.app, manager);
    await office.goto(`${t.app.url}/#/my-commune`);
    await office.getByRole('heading', { level: 2, name: 'Offres de capacité' }).waitFor();
    const form = office.locator('form.offer-form');
    await form.getByRole('checkbox', { name: /passeport/i }).check();
    await form.getByLabel('Tâches par jour').fill('4');
    await form.getByRole('button', { name: 'Offrir' }).click();
    await office.getByText('Offre enregistrée.').waitFor();
    await office.locator('.offer-list').getByText('0 / 4 aujourd’hui').waitFor();

    // The clerk sees the task suggested, with its reasons in French, and claims it in one click.
    const clerk = await newPage(t.browser, phone);
    await signIn(clerk, t.app, t.w.clerk);
    await clerk.goto(`${t.app.url}/#/my-commune`);
    const card = clerk.locator('li.suggestion').filter({ hasText: 'Passeport à préparer' });
    await card.waitFor();
    await card.getByText('Urgente').waitFor();
    await card.getByText(/km de chez vous/).waitFor();
    await card.getByText('Dans votre offre : 0/4 aujourd’hui').waitFor();
    expect(await pageWidth(clerk)).toBeLessThanOrEqual(phone.width);
    await clerk.screenshot({ path: path.join(artifacts, 'suggestions-phone.png'), fullPage: true });
    expect(await accessibilityViolations(clerk)).toEqual([]);
    await card.getByRole('button', { name: 'Prendre en charge « Passeport à préparer »' }).click();
    await clerk.getByText('Tâche « Passeport à préparer » prise en charge.').waitFor();
    await clerk.locator('.todo-list').getByText('Passeport à préparer').waitFor();

    const claimed = await t.w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedByCommuneId: t.w.helper.id });
    // The offer now shows it used.
    await office.reload();
    await office.locator('.offer-list').getByText('1 / 4 aujourd’hui').waitFor();
    await office.context().close();
    await clerk.context().close();
  });

  it('keeps a clerk’s page live: a task posted or claimed elsewhere comes and goes, and held by a colleague joins the list, without reload', async () => {
    const colleague = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const first = await postTask(t.w.manager, { title: 'Acte à transcrire', type: 'rdv_passeport' });
    const clerk = await newPage(t.browser, phone);
    await signIn(clerk, t.app, t.w.clerk);
    await clerk.goto(`${t.app.url}/#/my-commune`);
    const cardOf = (title: string) => clerk.locator('li.suggestion').filter({ hasText: title });
    await cardOf('Acte à transcrire').waitFor();
    // Another commune's clerk claims it through the API: its card goes, without a reload.
    await t.w.clerk2.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);
    await cardOf('Acte à transcrire').waitFor({ state: 'detached', timeout: 10_000 });

    // A task posted elsewhere is suggested; one a colleague claims moves to the commune's own list.
    const second = await postTask(t.w.manager, { title: 'Certificat à délivrer', type: 'rdv_passeport' });
    await cardOf('Certificat à délivrer').waitFor({ timeout: 10_000 });
    await colleague.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(200);
    await cardOf('Certificat à délivrer').waitFor({ state: 'detached', timeout: 10_000 });
    await clerk.locator('.todo-list').getByText('Certificat à délivrer').waitFor({ timeout: 10_000 });

    // A burst of postings makes a read or two, not one per task.
    await clerk.waitForTimeout(2000);
    let reads = 0;
    clerk.on('request', (r) => {
      if (r.url().includes('/api/v1/tasks/suggested')) reads += 1;
    });
    const titles = ['Dossier A', 'Dossier B', 'Dossier C', 'Dossier D', 'Dossier E', 'Dossier F'];
    await Promise.all(titles.map((title) => postTask(t.w.manager, { title, type: 'rdv_passeport' })));
    for (const title of titles) await cardOf(title).waitFor({ timeout: 10_000 });
    await clerk.waitForTimeout(2000);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(3);
    await clerk.context().close();
  });

  it('lets a manager on a phone change an offer, and leaves it as it was when the change overlaps another', async () => {
    const manager = await makeUser(t.app, 'manager', { communeId: t.w.helper.id });
    // Weeks ahead: the first test's offer of passports, today, must not get in the way.
    const day = reportDay(new Date(Date.now() + 40 * 24 * 3600 * 1000));
    await manager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_passeport'], perDay: 4, from: day, to: day })
      .expect(201);
    const other = await manager.agent
      .post('/api/v1/capacity-offers')
      .send({ taskTypes: ['rdv_carte_identite'], perDay: 3, from: day, to: day })
      .expect(201);
    const offerId = (other.body as { id: string }).id;

    const page = await newPage(t.browser, phone);
    await signIn(page, t.app, manager);
    await page.goto(`${t.app.url}/#/my-commune`);
    const row = page.locator(`li.offer[data-offer="${offerId}"]`);
    await row.getByText('0 / 3 aujourd’hui').waitFor();

    // Three tasks a day become six.
    await row.getByRole('button', { name: /^Modifier l’offre/ }).click();
    const form = row.locator('form.offer-edit');
    await form.getByLabel('Tâches par jour').fill('6');
    expect(await pageWidth(page)).toBeLessThanOrEqual(phone.width);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'offer-edit-phone.png'), fullPage: true });
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Offre modifiée.').waitFor();
    await row.getByText('0 / 6 aujourd’hui').waitFor();
    expect(await form.count()).toBe(0);
    const changed = await manager.agent.get(`/api/v1/capacity-offers/${offerId}`).expect(200);
    expect(changed.body).toMatchObject({ perDay: 6, taskTypes: ['rdv_carte_identite'] });

    // Passports too, and seven a day: the other offer has passports that day, so nothing changes.
    await row.getByRole('button', { name: /^Modifier l’offre/ }).click();
    await form.getByRole('checkbox', { name: /passeport/i }).check();
    await form.getByLabel('Tâches par jour').fill('7');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await form
      .getByRole('alert')
      .getByText(/Votre commune offre déjà rdv_passeport du .* : modifiez plutôt cette offre\./)
      .waitFor();
    expect(await form.getByLabel('Tâches par jour').inputValue()).toBe('7');
    await row.getByText('0 / 6 aujourd’hui').waitFor();
    const kept = await manager.agent.get(`/api/v1/capacity-offers/${offerId}`).expect(200);
    expect(kept.body).toMatchObject({ perDay: 6, taskTypes: ['rdv_carte_identite'] });
    await page.context().close();
  });
});
