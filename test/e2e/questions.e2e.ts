import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

describe('questions in the browser', () => {
  const t = useBrowserWorld();

  it('lets the holder’s clerk ask on a phone, shows the board’s column live, and the manager answers: the task is back where it was', async () => {
    const task = await postTask(t.w.manager, { title: 'Question à poser' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);

    // The manager watches the board: the task moves to the waiting column live.
    const manager = await newPage(t.browser, laptop);
    await signIn(manager, t.app, t.w.manager);
    const waitingColumn = manager.getByRole('region', { name: /En attente d’information/ });
    await manager.getByRole('article').filter({ hasText: 'Question à poser' }).first().waitFor();

    const clerk = await newPage(t.browser, phone);
    await signIn(clerk, t.app, t.w.clerk);
    await clerk.goto(`${t.app.url}/#/tasks/${task.id}`);
    await clerk.getByRole('heading', { level: 1, name: 'Question à poser' }).waitFor();
    await clerk.getByRole('button', { name: 'Poser une question au demandeur' }).click();
    await clerk.getByLabel('Votre question').fill('Quelle est l’adresse exacte du citoyen ?');
    await clerk.getByRole('button', { name: 'Envoyer la question' }).click();
    await clerk.getByText('Quelle est l’adresse exacte du citoyen ?', { exact: true }).first().waitFor();
    await clerk.getByText('Question posée', { exact: false }).first().waitFor();
    expect(await clerk.getByRole('button', { name: 'Répondre' }).count()).toBe(0);
    expect(await pageWidth(clerk)).toBeLessThanOrEqual(phone.width);
    await clerk.screenshot({ path: path.join(artifacts, 'question-asked-phone.png'), fullPage: true });
    expect(await accessibilityViolations(clerk)).toEqual([]);

    await waitingColumn.getByRole('article').filter({ hasText: 'Question à poser' }).waitFor();
    await waitingColumn.getByText('Question en attente').first().waitFor();

    await manager.goto(`${t.app.url}/#/tasks/${task.id}`);
    await manager.getByText('Quelle est l’adresse exacte du citoyen ?', { exact: true }).first().waitFor();
    await manager.getByLabel('Votre réponse').fill('Rue Haute 5, 4000 Liège');
    await manager.getByRole('button', { name: 'Répondre' }).click();
    await manager.getByText('Réponse donnée').waitFor();
    expect(await manager.getByRole('button', { name: 'Répondre' }).count()).toBe(0);
    expect(await accessibilityViolations(manager)).toEqual([]);

    const back = await t.w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(back.body).toMatchObject({ status: 'in_progress', waiting: null });
    await manager.context().close();
    await clerk.context().close();
  });
});
