import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

describe('drills in the browser', () => {
  const t = useBrowserWorld();

  it('lets the coordinator start a drill, a clerk claim a made-up task in exercise mode, and end it with a report', async () => {
    const real = await postTask(t.w.manager, { title: 'Vraie demande' });

    // The coordinator starts the drill from the dashboard.
    const coordinator = await newPage(t.browser, laptop);
    await signIn(coordinator, t.app, t.w.coordinator);
    await coordinator.goto(`${t.app.url}/#/dashboard`);
    await coordinator.getByLabel('Nom de l’exercice').fill('Exercice de printemps');
    await coordinator.getByLabel('Nombre de tâches fictives').fill('6');
    await coordinator.getByRole('button', { name: 'Lancer l’exercice' }).click();
    await coordinator.getByText(/Exercice en cours : « Exercice de printemps », 6 tâche\(s\)/).waitFor();

    // A clerk, on a phone, switches the board to exercise mode: the banner, and made-up tasks only.
    const clerk = await newPage(t.browser, phone);
    await signIn(clerk, t.app, t.w.clerk);
    await clerk.getByRole('article').filter({ hasText: 'Vraie demande' }).waitFor();
    await clerk.getByLabel('Mode exercice').check();
    await clerk.getByRole('status').filter({ hasText: 'EXERCICE' }).waitFor();
    const drillCard = clerk
      .getByRole('article')
      .filter({ hasText: 'EXERCICE / EXERCISE' })
      .filter({ hasText: t.w.stricken.name })
      .first();
    await drillCard.waitFor();
    expect(await clerk.getByRole('article').filter({ hasText: 'Vraie demande' }).count()).toBe(0);
    await drillCard.getByRole('button', { name: 'Prendre en charge' }).click();
    await clerk.getByText(/Tâche « EXERCICE \/ EXERCISE .* » prise en charge\./).waitFor();
    expect(await pageWidth(clerk)).toBeLessThanOrEqual(phone.width);
    await clerk.screenshot({ path: path.join(artifacts, 'drill-exercise-phone.png'), fullPage: true });
    expect(await accessibilityViolations(clerk)).toEqual([]);

    // The banner follows the clerk to other pages in exercise mode.
    await clerk.goto(`${t.app.url}/#/incidents`);
    await clerk.getByRole('status').filter({ hasText: 'EXERCICE' }).waitFor();

    // The coordinator ends it: the report, the claim in it.
    coordinator.once('dialog', (dialog) => void dialog.accept());
    await coordinator.getByRole('button', { name: 'Terminer l’exercice' }).click();
    const report = coordinator.getByRole('region', { name: 'Rapport de l’exercice « Exercice de printemps »' });
    await report.waitFor();
    await report.getByText('Tâches publiées').waitFor();
    await report.getByRole('row', { name: new RegExp(`${t.w.helper.name} 1 0`) }).waitFor();
    await coordinator.screenshot({ path: path.join(artifacts, 'drill-report.png'), fullPage: true });

    // The clerk's banner goes once the drill is known to have ended; the real board is back, as it was.
    await clerk.goto(`${t.app.url}/#/board`);
    await clerk.reload();
    await clerk.getByRole('article').filter({ hasText: 'Vraie demande' }).waitFor();
    expect(await clerk.getByRole('status').filter({ hasText: 'EXERCICE' }).count()).toBe(0);
    expect(await clerk.getByLabel('Mode exercice').count()).toBe(0);
    const still = await t.w.clerk.agent.get(`/api/v1/tasks/${real.id}`).expect(200);
    expect(still.body.status).toBe('open');
    await coordinator.context().close();
    await clerk.context().close();
  });
});
