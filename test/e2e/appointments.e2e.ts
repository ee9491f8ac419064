import path from 'node:path';
import ICAL from 'ical.js';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, artifacts, pageWidth, signIn, useBrowserWorld } from './browser';

const laptop = { width: 1280, height: 900 };
const phone = { width: 375, height: 812 };

async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({
    locale: 'fr-BE',
    timezoneId: 'Europe/Brussels',
    viewport,
    bypassCSP: true,
    reducedMotion: 'reduce',
  });
  return context.newPage();
}

/** `YYYY-MM-DDTHH:mm` in Brussels time, as a datetime-local field takes it, for a moment `days` from now at 10:30. */
function brusselsLocal(days: number): string {
  const day = new Date(Date.now() + days * 86_400_000);
  const date = day.toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
  return `${date}T10:30`;
}

describe('appointments in the browser', () => {
  const t = useBrowserWorld();

  it('posts an appointment with its slot on a phone, shows it, and puts it in the helper’s calendar feed', async () => {
    // The manager posts the appointment from a phone: the slot fields come with the appointment type.
    const poster = await newPage(t.browser, phone);
    await signIn(poster, t.app, t.w.manager);
    await poster.goto(`${t.app.url}/#/post`);
    await poster.getByRole('heading', { level: 2, name: 'Nouvelle demande' }).waitFor();
    const form = poster.locator('form').filter({ hasText: 'Nouvelle demande' });
    expect(await form.getByLabel('Lieu (guichet, bureau)').count()).toBe(0);
    await form.getByLabel('Type').selectOption('rdv_carte_identite');
    await form.getByLabel('Intitulé').fill('Rendez-vous carte volée');
    await form.getByLabel('Date et heure du rendez-vous').fill(brusselsLocal(3));
    await form.getByLabel('Durée (minutes)').fill('45');
    await form.getByLabel('Lieu (guichet, bureau)').fill('Guichet 2, Hôtel de ville');
    await form.getByLabel('Nom complet').fill('Marc Dubois');
    expect(await pageWidth(poster)).toBeLessThanOrEqual(phone.width);
    await poster.screenshot({ path: path.join(artifacts, 'appointment-post-phone.png'), fullPage: true });
    expect(await accessibilityViolations(poster)).toEqual([]);
    await form.getByRole('button', { name: 'Publier' }).click();
    await poster
      .getByText(/Rendez-vous carte volée/)
      .first()
      .waitFor();

    const list = await t.w.clerk.agent.get('/api/v1/tasks?type=rdv_carte_identite&limit=100').expect(200);
    const task = (list.body.items as { id: string; code: string; title: string; slot: { start: string } }[]).find(
      (item) => item.title === 'Rendez-vous carte volée',
    );
    if (!task) throw new Error('the appointment was not posted');
    expect(task.slot).toEqual({
      start: new Date(`${brusselsLocal(3)}:00${offsetOf(task.slot.start)}`).toISOString(),
      durationMinutes: 45,
      place: 'Guichet 2, Hôtel de ville',
    });

    // A helping commune's clerk sees the slot on the card and claims it from the board.
    const helper = await newPage(t.browser, laptop);
    await signIn(helper, t.app, t.w.clerk);
    const card = helper.getByRole('article').filter({ hasText: 'Rendez-vous carte volée' });
    await card.waitFor();
    await card.getByText(/Rendez-vous : .* · 45 min · Guichet 2, Hôtel de ville/).waitFor();
    await card.getByRole('button', { name: 'Prendre en charge' }).click();
    await card.getByText('Prise en charge par votre commune').waitFor();

    // The task page shows the slot.
    await helper.goto(`${t.app.url}/#/tasks/${task.id}`);
    await helper
      .getByTestId('task-slot')
      .getByText(/45 min · Guichet 2, Hôtel de ville/)
      .waitFor();

    // The calendar link is on the clerk's preferences; the feed it names answers with the event.
    await helper.goto(`${t.app.url}/#/preferences`);
    await helper.getByRole('heading', { level: 2, name: 'Lien de calendrier' }).waitFor();
    const address = helper.getByLabel('Adresse du calendrier');
    await address.waitFor();
    const url = await address.inputValue();
    expect(url).toContain(`/api/v1/communes/${t.w.helper.id}/appointments.ics?key=`);
    expect(await helper.getByRole('button', { name: 'Renouveler le lien' }).count()).toBe(0); // a manager's
    await helper.getByRole('button', { name: 'Copier le lien' }).waitFor();
    await helper.screenshot({ path: path.join(artifacts, 'appointment-calendar-link.png'), fullPage: true });
    expect(await accessibilityViolations(helper)).toEqual([]);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    const events = new ICAL.Component(ICAL.parse(text))
      .getAllSubcomponents('vevent')
      .map((vevent) => new ICAL.Event(vevent));
    const event = events.find((e) => e.uid === `${task.id}@entraide`);
    expect(event?.summary).toBe(`${task.code} · Rendez-vous carte d'identité`);
    expect(event?.location).toBe('Guichet 2, Hôtel de ville');
    expect(event?.startDate.toJSDate().toISOString()).toBe(task.slot.start);
    expect(text).not.toContain('Marc Dubois');
    await poster.context().close();
    await helper.context().close();
  });
});

/** The `+01:00` or `+02:00` Brussels was at on that day, from the instant the server stored. */
function offsetOf(iso: string): string {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', timeZoneName: 'longOffset' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = name?.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}
