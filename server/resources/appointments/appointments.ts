import ical, { ICalCalendarMethod } from 'ical-generator';
import type { AppointmentsLink } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { calendarKey, keyHash, keyMatches, newNonce } from './appointments-link';
import { ownsCalendarOf } from './appointments-policy';
import {
  communeNameOf,
  ensureCalendarLink,
  findCalendarLink,
  heldAppointments,
  renewCalendarLink,
  type CalendarLinkRow,
} from './appointments-repo';

/** How far back the feed reaches: a calendar keeps what it already fetched. */
const feedPastDays = 90;
/** The most events one feed answers. */
const feedEventsMax = 1000;

export const feedPath = (communeId: string, key: string): string =>
  `/api/v1/communes/${communeId}/appointments.ics?key=${encodeURIComponent(key)}`;

function presentLink(ctx: DomainContext, row: CalendarLinkRow, origin: string): AppointmentsLink {
  const path = feedPath(row.communeId, calendarKey(ctx.dataKey, row.communeId, row.nonce));
  return {
    communeId: row.communeId,
    url: `${origin}${path}`,
    path,
    createdAt: row.createdAt.toISOString(),
    renewedAt: row.renewedAt ? row.renewedAt.toISOString() : null,
  };
}

function freshSecret(ctx: DomainContext, communeId: string) {
  const nonce = newNonce();
  return { communeId, nonce, keyHash: keyHash(calendarKey(ctx.dataKey, communeId, nonce)) };
}

/** The commune's calendar link, made on its first read; only its own managers and clerks see it. */
export async function calendarLinkFor(
  ctx: DomainContext,
  actor: Actor,
  communeId: string,
  origin: string,
): Promise<AppointmentsLink> {
  if (!ownsCalendarOf(actor, communeId)) throw new NotFoundError('commune');
  const row =
    (await findCalendarLink(ctx.db, communeId)) ?? (await ensureCalendarLink(ctx.db, freshSecret(ctx, communeId)));
  return presentLink(ctx, row, origin);
}

/** A new key for the commune's link (a manager's): the old one stops working at once. */
export async function renewCalendarLinkFor(
  ctx: DomainContext,
  actor: Actor,
  communeId: string,
  origin: string,
): Promise<AppointmentsLink> {
  if (!ownsCalendarOf(actor, communeId) || actor.role !== 'manager') throw new NotFoundError('commune');
  const row = await renewCalendarLink(ctx.db, {
    ...freshSecret(ctx, communeId),
    renewedAt: ctx.clock.now(),
    renewedBy: actor.id,
  });
  return presentLink(ctx, row, origin);
}

/** A wrong key, an old one and an unknown commune answer alike. */
export class UnknownCalendarLink extends NotFoundError {
  constructor() {
    super('calendar link');
  }
}

/**
 * The appointments the commune holds, as iCalendar: one event per task, its UID the task's id (so a
 * calendar updates an event rather than adding one), the code and type as summary, the slot's place as
 * location. Never a title, details or citizen data: the feed is read by whatever holds the link.
 */
export async function appointmentsFeed(
  ctx: DomainContext,
  communeId: string,
  key: string | undefined,
  lang: 'fr' | 'en',
): Promise<string> {
  const link = await findCalendarLink(ctx.db, communeId);
  if (!keyMatches(key, link?.keyHash)) throw new UnknownCalendarLink();
  const now = ctx.clock.now();
  const [name, rows] = await Promise.all([
    communeNameOf(ctx.db, communeId),
    heldAppointments(ctx.db, communeId, new Date(now.getTime() - feedPastDays * 86_400_000), feedEventsMax),
  ]);
  const calendar = ical({
    name: lang === 'fr' ? `Entraide — rendez-vous de ${name ?? ''}` : `Entraide — appointments of ${name ?? ''}`,
    prodId: { company: 'Entraide', product: 'appointments', language: lang.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 15 * 60,
  });
  for (const row of rows) {
    if (!row.slotStart || row.slotMinutes === null) continue;
    const label = lang === 'fr' ? row.labelFr : row.labelEn;
    calendar.createEvent({
      id: `${row.id}@entraide`,
      sequence: row.version,
      stamp: row.updatedAt,
      start: row.slotStart,
      end: new Date(row.slotStart.getTime() + row.slotMinutes * 60_000),
      summary: `${row.code} · ${label}`,
      location: row.slotPlace ?? '',
      description:
        lang === 'fr'
          ? `Tâche ${row.code} pour ${row.requestedOf}. Les données du citoyen sont dans Entraide.`
          : `Task ${row.code} for ${row.requestedOf}. The citizen's data is in Entraide.`,
    });
  }
  return calendar.toString();
}
