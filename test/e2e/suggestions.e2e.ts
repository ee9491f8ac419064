import path from 'node:path';
import { makeUser, postTask } from '../factories';
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
});
