import path from 'node:path';
import { postTask } from '../factories';
import { accessibilityViolations, artifacts, newPage, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

describe('transfers in the browser', () => {
  const t = useBrowserWorld();

  it('lets a clerk ask for a claim on a phone, shows the badge live, and lets the holder accept it', async () => {
    const task = await postTask(t.w.manager, { title: 'À transférer' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);

    // The holder watches the board: the badge comes live.
    const holder = await newPage(t.browser, laptop);
    await signIn(holder, t.app, t.w.clerk);
    const card = holder.getByRole('article').filter({ hasText: 'À transférer' });
    await card.waitFor();

    const asker = await newPage(t.browser, phone);
    await signIn(asker, t.app, t.w.clerk2);
    await asker.goto(`${t.app.url}/#/tasks/${task.id}`);
    await asker.getByRole('heading', { level: 1, name: 'À transférer' }).waitFor();
    await asker.getByRole('button', { name: 'Demander le transfert' }).click();
    await asker.getByLabel('Message pour la commune qui la tient (facultatif)').fill('Nous avons de la place');
    await asker.getByRole('button', { name: 'Envoyer la demande' }).click();
    await asker.getByText(/demande à reprendre cette tâche/).waitFor();
    expect(await asker.getByRole('button', { name: 'Accepter le transfert' }).count()).toBe(0);
    expect(await pageWidth(asker)).toBeLessThanOrEqual(phone.width);
    await asker.screenshot({ path: path.join(artifacts, 'transfer-asked-phone.png'), fullPage: true });
    expect(await accessibilityViolations(asker)).toEqual([]);

    await card.getByText('Transfert demandé').waitFor();
    await holder.goto(`${t.app.url}/#/tasks/${task.id}`);
    // The request's note itself (the history below quotes it too, inside a longer line).
    await holder.getByText('« Nous avons de la place »', { exact: true }).waitFor();
    await holder.getByRole('button', { name: 'Accepter le transfert' }).click();
    await holder.getByText('Transfert accepté').waitFor();
    expect(await holder.getByRole('button', { name: 'Demander le transfert' }).isVisible()).toBe(true);

    const moved = await t.w.clerk2.agent.get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(moved.body).toMatchObject({ claimedByCommuneId: t.w.helper2.id, transferRequestId: null });
    await holder.context().close();
    await asker.context().close();
  });
});
