import { z } from 'zod';
import { Id } from './common';

/**
 * A commune's secret calendar link: the address of its appointments feed, key included. Whoever holds
 * it reads the feed without signing in, so it is shown to the commune's managers and clerks only.
 */
export const AppointmentsLink = z
  .object({
    communeId: Id,
    /** The feed's full address, for a calendar application's "subscribe by URL". */
    url: z.string(),
    /** The same address from the API's root (`/api/v1/…`), for a client that knows its own origin. */
    path: z.string(),
    createdAt: z.string(),
    /** When a manager last renewed it (the key before that stopped working then); null if never. */
    renewedAt: z.string().nullable(),
  })
  .meta({ id: 'AppointmentsLink' });
export type AppointmentsLink = z.infer<typeof AppointmentsLink>;

export const AppointmentsFeedQuery = z.object({
  key: z.string().max(200, 'must be the key of a calendar link').optional().describe('the calendar link’s secret key'),
  lang: z.enum(['fr', 'en'], { error: 'must be fr or en' }).default('fr').describe('the language of the type labels'),
});
export type AppointmentsFeedQuery = z.infer<typeof AppointmentsFeedQuery>;
