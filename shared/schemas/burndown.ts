import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime } from './common';

const hoursMessage = `must be a whole number from 1 to ${limits.burndownHoursMax}`;

export const BurndownQuery = z
  .strictObject({
    /** How many hours the series covers, the current one included. */
    hours: z.coerce
      .number({ error: hoursMessage })
      .int(hoursMessage)
      .min(1, hoursMessage)
      .max(limits.burndownHoursMax, hoursMessage)
      .default(limits.burndownHoursDefault),
  })
  .meta({ id: 'BurndownQuery' });
export type BurndownQuery = z.infer<typeof BurndownQuery>;

/** One hour of a commune's burn-down: what it posted, what was finished, and its backlog at the hour's end. */
export const BurndownHour = z
  .object({
    start: IsoDateTime,
    /** The hour's end, or now for the hour under way. */
    end: IsoDateTime,
    posted: z.number().int(),
    done: z.number().int(),
    cancelled: z.number().int(),
    /** Its tasks posted and not yet done nor cancelled at `end`. */
    backlog: z.number().int(),
  })
  .meta({ id: 'BurndownHour' });
export type BurndownHour = z.infer<typeof BurndownHour>;

/**
 * A commune's burn-down: its backlog hour by hour, the current rates (tasks an hour over the last
 * `rates.windowHours`) and when the backlog reaches zero at the net rate, if it is going down.
 */
export const Burndown = z
  .object({
    communeId: Id,
    asOf: IsoDateTime,
    hours: z.array(BurndownHour),
    /** Its tasks posted and not yet done nor cancelled, now. */
    backlog: z.number().int(),
    rates: z.object({
      windowHours: z.number().int(),
      postedPerHour: z.number(),
      donePerHour: z.number(),
      cancelledPerHour: z.number(),
      /** How fast the backlog goes down: done and cancelled less posted, an hour (negative when it grows). */
      netPerHour: z.number(),
    }),
    /** The backlog is empty, or goes down at the current rates. */
    converging: z.boolean(),
    /** When the backlog reaches zero at the net rate (now when it is empty); null when it is not converging. */
    eta: IsoDateTime.nullable(),
  })
  .meta({ id: 'Burndown' });
export type Burndown = z.infer<typeof Burndown>;
