import ICAL from 'ical.js';
import { like } from 'drizzle-orm';
import { limits } from '../../shared/limits';
import { communeCalendarLinks, loginThrottle } from '../../server/db/schema';
import { makeUser, makeWorld, taskInput, type TestUser, type World } from '../factories';
import { ManualClock, DAY, HOUR } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

/** The app's clock stands still here: "in the past" is measured against it, not the machine's. */
const NOW = Date.parse('2026-06-01T08:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
const slot = (startMs: number, durationMinutes = 30, place = 'Guichet population 2') => ({
  start: at(startMs),
  durationMinutes,
  place,
});

interface FeedEvent {
  uid: string;
  summary: string;
  location: string;
  start: string;
  end: string;
  description: string;
}

/** The feed as a calendar application reads it: parsed by ical.js, not by looking at the text. */
function parseFeed(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      description: event.description,
    };
  });
}

describe.each(drivers)('appointments on %s', (driver) => {
  let app: TestApp;
  let w: World;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    app = await startTestApp(driver, {}, { clock });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });
  beforeEach(async () => {
    clock.set(NOW);
    await app.running.database.db.delete(loginThrottle).where(like(loginThrottle.key, 'calendar-ip:%'));
  });

  const appointment = (overrides: Record<string, unknown> = {}) =>
    taskInput({ type: 'rdv_carte_identite', title: 'Carte volée', slot: slot(NOW + DAY), ...overrides });

  async function post(manager: TestUser, body: unknown) {
    return manager.agent.post('/api/v1/tasks').send(body as object);
  }

  async function linkOf(user: TestUser, communeId: string) {
    const res = await user.agent.get(`/api/v1/communes/${communeId}/appointments-link`).expect(200);
    return res.body as { url: string; path: string; communeId: string; renewedAt: string | null };
  }

  const feed = (path: string) => app.anonymous().get(path);

  describe('posting with a slot', () => {
    it('keeps the slot of an appointment type and shows it on the task', async () => {
      const res = await post(w.manager, appointment({ slot: slot(NOW + DAY, 45, '  Guichet 3, rez-de-chaussée ') }));
      expect(res.status).toBe(201);
      expect(res.body.slot).toEqual({
        start: at(NOW + DAY),
        durationMinutes: 45,
        place: 'Guichet 3, rez-de-chaussée',
      });
      // Without a due date of its own, an appointment is due when its slot ends.
      expect(res.body.dueAt).toBe(at(NOW + DAY + 45 * 60_000));
      const seen = await w.clerk.agent.get(`/api/v1/tasks/${res.body.id as string}`).expect(200);
      expect(seen.body.slot).toEqual(res.body.slot);
      const board = await w.clerk.agent.get('/api/v1/tasks?type=rdv_carte_identite&limit=100').expect(200);
      const card = (board.body.items as { id: string; slot: unknown }[]).find((t) => t.id === res.body.id);
      expect(card?.slot).toEqual(res.body.slot);
    });

    it('shows no slot on a task of another category', async () => {
      const res = await post(w.manager, taskInput());
      expect(res.status).toBe(201);
      expect(res.body.slot).toBeNull();
    });

    it('refuses an appointment without a slot, a slot on another category and a slot in the past, changing nothing', async () => {
      const before = await writeCounts(app);
      const cases: [unknown, { field: string; code: string; message: string }][] = [
        [
          taskInput({ type: 'rdv_passeport', slot: undefined }),
          {
            field: 'slot',
            code: 'slot_required',
            message: 'is required for an appointment: its start, length and place',
          },
        ],
        [
          taskInput({ slot: slot(NOW + DAY) }),
          { field: 'slot', code: 'slot_not_allowed', message: 'is only taken for an appointment type' },
        ],
        [
          appointment({ slot: slot(NOW - 60_000) }),
          { field: 'slot.start', code: 'slot_in_past', message: 'must not be in the past' },
        ],
        [
          appointment({ slot: slot(NOW + DAY, 4) }),
          { field: 'slot.durationMinutes', code: 'too_small', message: 'must be at least 5 minutes' },
        ],
        [
          appointment({ slot: slot(NOW + DAY, 481) }),
          { field: 'slot.durationMinutes', code: 'too_large', message: 'must be at most 480 minutes' },
        ],
        [
          appointment({ slot: slot(NOW + DAY, 30, ' ') }),
          { field: 'slot.place', code: 'required', message: 'is required' },
        ],
        [
          appointment({ slot: slot(NOW + DAY, 30, 'x'.repeat(201)) }),
          { field: 'slot.place', code: 'too_long', message: 'must be at most 200 characters' },
        ],
        [
          appointment({ slot: { start: 'demain', durationMinutes: 30, place: 'Guichet' } }),
          {
            field: 'slot.start',
            code: 'invalid_format',
            message: 'must be a date and time in ISO 8601 format, e.g. 2026-11-24T17:00:00Z',
          },
        ],
      ];
      for (const [body, error] of cases) {
        const res = await post(w.manager, body);
        expect({ error, status: res.status }).toEqual({ error, status: 400 });
        expect(res.type).toBe('application/problem+json');
        expect(res.body.errors).toEqual([expect.objectContaining(error)]);
      }
      expect(await writeCounts(app)).toEqual(before);
    });

    it('takes the slot in a bulk post and refuses the whole batch for one slot in the past', async () => {
      const before = await writeCounts(app);
      const bad = await w.manager.agent
        .post('/api/v1/tasks/bulk')
        .send([appointment(), appointment({ slot: slot(NOW - HOUR) })]);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'slot.start', code: 'slot_in_past' })]);
      expect(await writeCounts(app)).toEqual(before);
      const good = await w.manager.agent.post('/api/v1/tasks/bulk').send([appointment(), taskInput()]);
      expect(good.status).toBe(201);
      expect(good.body.items.map((i: { task: { slot: unknown } }) => i.task.slot)).toEqual([slot(NOW + DAY), null]);
    });

    it("takes the slot from an integration's post", async () => {
      const token = await w.manager.agent.post('/api/v1/integrations/tokens').send({ name: 'Portail' }).expect(201);
      const res = await app
        .anonymous()
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${token.body.token as string}`)
        .set('Idempotency-Key', `appointment-${Date.now()}`)
        .send(appointment({ citizen: undefined }));
      expect(res.status).toBe(201);
      expect(res.body.slot).toEqual(slot(NOW + DAY));
    });
  });

  describe('the calendar feed', () => {
    /** An appointment of the stricken commune, claimed by `clerk` (of the helping commune). */
    async function held(clerk: TestUser, startMs: number, minutes = 30, place = 'Guichet 4') {
      const res = await post(w.manager, appointment({ slot: slot(startMs, minutes, place) }));
      expect(res.status).toBe(201);
      await clerk.agent.post(`/api/v1/tasks/${res.body.id as string}/claim`).expect(200);
      return res.body as { id: string; code: string; version: number };
    }

    it('answers 404 alike for a wrong key, no key and a commune that does not exist', async () => {
      await linkOf(w.clerk, w.helper.id);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const answers = await Promise.all([
        feed(`/api/v1/communes/${w.helper.id}/appointments.ics?key=wrong`),
        feed(`/api/v1/communes/${w.helper.id}/appointments.ics`),
        feed(`/api/v1/communes/${unknown}/appointments.ics?key=wrong`),
        // A commune that never made its link: nothing to match either.
        feed(`/api/v1/communes/${w.helper2.id}/appointments.ics?key=wrong`),
      ]);
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect(res.type).toBe('application/problem+json');
        expect(res.body).toMatchObject({
          code: 'not_found',
          detail: 'This calendar link does not exist or is not visible to you.',
        });
      }
    });

    it("lists the commune's held appointments as events, with stable UIDs and no citizen data", async () => {
      const first = await held(w.clerk, NOW + 2 * DAY, 45, 'Guichet 4, Hôtel de ville');
      const second = await held(w.clerk, NOW + 3 * DAY);
      const other = await held(w.clerk2, NOW + 2 * DAY); // held by another commune
      const open = await post(w.manager, appointment()); // nobody holds it
      const cancelled = await held(w.clerk, NOW + 4 * DAY);
      await w.manager.agent
        .post(`/api/v1/tasks/${cancelled.id}/cancel`)
        .send({ version: 2, reason: 'Le citoyen a annulé' })
        .expect(200);
      const released = await held(w.clerk, NOW + 5 * DAY);
      await w.clerk.agent
        .post(`/api/v1/tasks/${released.id}/release`)
        .send({ version: 2, reason: 'Pas de guichet libre' })
        .expect(200);

      const link = await linkOf(w.clerk, w.helper.id);
      expect(link.url).toMatch(/^http:\/\/[^/]+\/api\/v1\/communes\/[0-9a-f-]+\/appointments\.ics\?key=[\w-]{43}$/);
      expect(link.url.endsWith(link.path)).toBe(true);
      const res = await feed(link.path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const events = parseFeed(res.text);
      const ids = events.map((e) => e.uid);
      expect(ids).toContain(`${first.id}@entraide`);
      expect(ids).toContain(`${second.id}@entraide`);
      for (const absent of [other.id, open.body.id as string, cancelled.id, released.id])
        expect(ids).not.toContain(`${absent}@entraide`);
      expect(events.find((e) => e.uid === `${first.id}@entraide`)).toEqual({
        uid: `${first.id}@entraide`,
        summary: `${first.code} · Rendez-vous carte d'identité`,
        location: 'Guichet 4, Hôtel de ville',
        start: at(NOW + 2 * DAY),
        end: at(NOW + 2 * DAY + 45 * 60_000),
        description: `Tâche ${first.code} pour ${w.stricken.name}. Les données du citoyen sont dans Entraide.`,
      });
      // The citizen (taskInput's Jeanne Dupont), the title and the details are nowhere in it.
      expect(res.text).not.toMatch(/Jeanne|Dupont|85\.?07|1985|Carte volée|mutuelle/);

      // Started, then done: still the commune's, under the same UID; in English when asked.
      await w.clerk.agent.post(`/api/v1/tasks/${first.id}/start`).send({ version: 2 }).expect(200);
      await w.clerk.agent.post(`/api/v1/tasks/${first.id}/complete`).send({ version: 3 }).expect(200);
      const again = parseFeed((await feed(`${link.path}&lang=en`).expect(200)).text);
      expect(again.find((e) => e.uid === `${first.id}@entraide`)).toMatchObject({
        summary: `${first.code} · Identity card appointment`,
        start: at(NOW + 2 * DAY),
      });
    });

    it('stops answering the old key once a manager renews the link', async () => {
      const mine = await held(w.clerk, NOW + 2 * DAY);
      const helperManager = await makeUser(app, 'manager', { communeId: w.helper.id });
      const old = await linkOf(w.clerk, w.helper.id);
      expect((await linkOf(helperManager, w.helper.id)).path).toBe(old.path);
      await feed(old.path).expect(200);
      const renewed = await helperManager.agent.post(`/api/v1/communes/${w.helper.id}/appointments-link`).expect(200);
      expect(renewed.body.path).not.toBe(old.path);
      expect(renewed.body.renewedAt).toBe(at(NOW));
      expect((await feed(old.path)).status).toBe(404);
      const events = parseFeed((await feed(renewed.body.path as string).expect(200)).text);
      expect(events.map((e) => e.uid)).toContain(`${mine.id}@entraide`);
      // The clerks read the new link from now on.
      expect((await linkOf(w.clerk, w.helper.id)).path).toBe(renewed.body.path);
    });

    it("keeps only a hash of the key: the table never holds the link's key", async () => {
      const link = await linkOf(w.clerk, w.helper.id);
      const key = new URL(link.url).searchParams.get('key') ?? '';
      const rows = await app.running.database.db.select().from(communeCalendarLinks);
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(key);
    });

    it('limits feed look-ups per address, apart from the tracking look-ups: 429 with Retry-After', async () => {
      const path = `/api/v1/communes/${w.helper.id}/appointments.ics?key=guess`;
      for (let i = 0; i < limits.trackingPerAddress; i++) expect((await feed(path)).status).toBe(404);
      const refused = await feed(path);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.detail).toBe('Too many calendar look-ups from your address. Try again in 15 minute(s).');
    });

    it("answers 404 for another commune's link, across the region or beyond it", async () => {
      for (const [user, communeId] of [
        [w.clerk, w.helper2.id],
        [w.foreignClerk, w.helper.id],
        [w.foreignManager, w.stricken.id],
      ] as const) {
        const res = await user.agent.get(`/api/v1/communes/${communeId}/appointments-link`);
        expect(res.status).toBe(404);
      }
      const renew = await w.foreignManager.agent.post(`/api/v1/communes/${w.stricken.id}/appointments-link`);
      expect(renew.status).toBe(404);
    });
  });
});
