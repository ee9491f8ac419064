import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

describe('coordination in the browser', () => {
  const t = useBrowserWorld();

  it("lets the coordinator set the region's cap on a phone, refuses a bad value on its field, and tells a clerk at the cap why", async () => {
    const coordinator = await newPage(t.browser, phone);
    await signIn(coordinator, t.app, t.w.coordinator);
    await coordinator
      .getByRole('navigation', { name: 'Rubriques' })
      .getByRole('link', { name: 'Réglages de coordination' })
      .click();
    await coordinator
      .getByRole('heading', { level: 1, name: `Réglages de coordination — ${t.w.region.name}` })
      .waitFor();
    const cap = coordinator.getByRole('group', { name: 'Prises en charge actives par commune, au plus' });
    const capValue = cap.getByRole('spinbutton', { name: 'Valeur' });
    expect(await capValue.inputValue()).toBe('50');
    expect(await cap.getByLabel('Valeur par défaut (50)').isChecked()).toBe(true);

    // Refused on its field, before anything is sent.
    await capValue.fill('0');
    await coordinator.getByRole('button', { name: 'Enregistrer' }).click();
    await cap.getByText('doit valoir au moins 1').waitFor();
    expect(await capValue.getAttribute('aria-invalid')).toBe('true');
    expect((await t.w.coordinator.agent.get(`/api/v1/regions/${t.w.region.id}/settings`)).body).toMatchObject({
      maxActiveClaimsPerCommune: 50,
      regional: [],
    });

    await capValue.fill('2');
    await coordinator.getByRole('button', { name: 'Enregistrer' }).click();
    await coordinator.getByRole('status').filter({ hasText: 'Réglages enregistrés.' }).waitFor();
    await coordinator.getByText('Prises en charge actives par commune, au plus : défaut → 2').waitFor();
    expect(await pageWidth(coordinator)).toBeLessThanOrEqual(phone.width);
    await coordinator.screenshot({ path: path.join(artifacts, 'coordination-settings-phone.png'), fullPage: true });
    expect(await accessibilityViolations(coordinator)).toEqual([]);
    await coordinator.getByLabel('Langue').selectOption('en');
    await coordinator.getByRole('heading', { level: 1, name: `Coordination settings — ${t.w.region.name}` }).waitFor();
    await coordinator.context().close();

    // The helper's clerk holds two claims: the third is refused, and the board says why.
    for (const title of ['Déjà prise 1', 'Déjà prise 2']) {
      const task = await postTask(t.w.manager, { title });
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    }
    await postTask(t.w.manager, { title: 'Une de trop' });
    const clerk = await newPage(t.browser, laptop);
    await signIn(clerk, t.app, t.w.clerk);
    const card = clerk.getByRole('article').filter({ hasText: 'Une de trop' });
    await card.getByRole('button', { name: 'Prendre en charge' }).click();
    await clerk
      .getByRole('alert')
      .filter({ hasText: 'Votre commune tient déjà 2 prise(s) en charge active(s), et la région en permet 2 au plus' })
      .waitFor();
    expect(await card.getByRole('button', { name: 'Prendre en charge' }).isVisible()).toBe(true);
    await clerk.context().close();
  });
});
