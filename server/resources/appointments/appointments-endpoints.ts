import type { Request } from 'express';
import { z } from 'zod';
import { AppointmentsFeedQuery, AppointmentsLink, Id } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { msg } from '../../core/messages';
import { trackingHeaders, trackingThrottle } from '../tracking/tracking-throttle';
import { appointmentsFeed, calendarLinkFor, renewCalendarLinkFor } from './appointments';
import { canRenewCalendarLink, canSeeCalendarLink } from './appointments-policy';

const tag = 'appointments';
const CommuneParams = z.object({ id: Id.describe('commune id') });

/** The origin the caller reached us by (behind the proxy, as it forwarded it). */
const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export const appointmentsEndpoints = [
  endpoint({
    method: 'get',
    path: '/communes/:id/appointments-link',
    tag,
    summary:
      "My commune's secret calendar link (managers and clerks): the feed's address with its key, made on first read",
    permission: permission.policy(canSeeCalendarLink, msg('only_commune_staff_see_calendar')),
    params: CommuneParams,
    responses: { 200: { description: 'The calendar link', schema: AppointmentsLink } },
    handle: ({ ctx, actor, params, req, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return calendarLinkFor(ctx, actor, params.id, originOf(req));
    },
  }),

  endpoint({
    method: 'post',
    path: '/communes/:id/appointments-link',
    tag,
    summary: "Renew my commune's calendar link (managers): the old key stops working at once",
    permission: permission.policy(canRenewCalendarLink, msg('only_managers_renew_calendar')),
    params: CommuneParams,
    responses: { 200: { description: 'The new calendar link', schema: AppointmentsLink } },
    handle: ({ ctx, actor, params, req, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return renewCalendarLinkFor(ctx, actor, params.id, originOf(req));
    },
  }),

  endpoint({
    method: 'get',
    path: '/communes/:id/appointments.ics',
    tag,
    summary:
      'The appointments a commune holds (claimed, in progress, done) as an iCalendar feed, for a calendar application',
    permission: permission.public(
      'a calendar application has no session; the secret key (256 bits) in the link is the credential, the feed holds no citizen data, title or details, and look-ups are rate-limited per address',
    ),
    before: (ctx) => [
      trackingHeaders,
      trackingThrottle(ctx.db, 'calendar-ip:', (minutes) => msg('too_many_calendar_lookups', { minutes })),
    ],
    params: CommuneParams,
    query: AppointmentsFeedQuery,
    responses: {
      200: {
        description: 'iCalendar (RFC 5545), one event per appointment',
        schema: z.string(),
        contentType: 'text/calendar',
      },
    },
    problems: { 429: 'Too many look-ups from this address: see Retry-After' },
    handle: async ({ ctx, params, query, res }) => {
      const body = await appointmentsFeed(ctx, params.id, query.key, query.lang);
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.status(200).send(body);
    },
  }),
];
