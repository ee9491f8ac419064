import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime } from './common';
import { periodCheck, ReportDate } from './reports';
import { PublicTask } from './tasks';

const perDayMessage = `must be a whole number from 1 to ${limits.offerPerDayMax}`;
const PerDay = z
  .number({ error: perDayMessage })
  .int(perDayMessage)
  .min(1, perDayMessage)
  .max(limits.offerPerDayMax, perDayMessage);
const TaskTypeKeys = z
  .array(z.string().min(1, 'must be task type keys').max(100, 'must be task type keys'), {
    error: 'must be a list of task type keys',
  })
  .min(1, 'must name at least one task type')
  .max(50, 'must name at most 50 task types');
const checkPeriod = periodCheck(limits.offerPeriodDaysMax);

/**
 * A helping commune's offer to the region (SPEC.md, Crisis scale): so many tasks a day of these types,
 * from one day to another (both included, Europe/Brussels), made by one of its managers.
 */
export const CapacityOfferCreate = z
  .strictObject({ taskTypes: TaskTypeKeys, perDay: PerDay, from: ReportDate, to: ReportDate })
  .superRefine(checkPeriod)
  .meta({ id: 'CapacityOfferCreate' });
export type CapacityOfferCreate = z.infer<typeof CapacityOfferCreate>;

/** Any of the fields; the period is checked as it ends up (the new from and to, or the kept ones). */
export const CapacityOfferUpdate = z
  .strictObject({
    taskTypes: TaskTypeKeys.optional(),
    perDay: PerDay.optional(),
    from: ReportDate.optional(),
    to: ReportDate.optional(),
  })
  .meta({ id: 'CapacityOfferUpdate' });
export type CapacityOfferUpdate = z.infer<typeof CapacityOfferUpdate>;

export const CapacityOffer = z
  .object({
    id: Id,
    communeId: Id,
    communeName: z.string(),
    regionId: Id,
    taskTypes: z.array(z.string()),
    perDay: z.number().int(),
    from: z.string(),
    to: z.string(),
    /** Whether today (Europe/Brussels) is within the period. */
    current: z.boolean(),
    /** The tasks of the offered types the commune claimed today (0 outside the period). */
    usedToday: z.number().int(),
    /** The tasks of the offered types it claimed, each day of the period it claimed any. */
    usedByDay: z.array(z.object({ day: z.string(), used: z.number().int() })),
    createdBy: Id.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    /** The commune's managers edit and withdraw it; the region's coordinator may withdraw it. */
    abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
  })
  .meta({ id: 'CapacityOffer' });
export type CapacityOffer = z.infer<typeof CapacityOffer>;

export const CapacityOfferList = z.object({ items: z.array(CapacityOffer) }).meta({ id: 'CapacityOfferList' });
export type CapacityOfferList = z.infer<typeof CapacityOfferList>;

export const CapacityOfferListQuery = z
  .strictObject({
    communeId: Id.optional(),
    /** `true`: only the offers whose period includes today. */
    current: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  })
  .meta({ id: 'CapacityOfferListQuery' });
export type CapacityOfferListQuery = z.infer<typeof CapacityOfferListQuery>;

const suggestionLimitMessage = `must be a whole number from 1 to ${limits.suggestionsMax}`;
export const SuggestionQuery = z
  .strictObject({
    limit: z.coerce
      .number({ error: suggestionLimitMessage })
      .int(suggestionLimitMessage)
      .min(1, suggestionLimitMessage)
      .max(limits.suggestionsMax, suggestionLimitMessage)
      .default(limits.suggestionsDefault),
  })
  .meta({ id: 'SuggestionQuery' });
export type SuggestionQuery = z.infer<typeof SuggestionQuery>;

/**
 * Why a task is suggested, as data (docs/suggestions.md): the client says it in the reader's language.
 * `points` is what the reason added to (or took from) the score.
 */
export const SuggestionReason = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('urgency'), value: z.object({ priority: z.string() }), points: z.number() }),
    z.object({
      kind: z.literal('due'),
      value: z.object({ hoursLeft: z.number(), overdue: z.boolean() }),
      points: z.number(),
    }),
    z.object({ kind: z.literal('distance'), value: z.object({ km: z.number() }), points: z.number() }),
    z.object({
      kind: z.literal('offer'),
      value: z.object({ offerId: Id, perDay: z.number().int(), usedToday: z.number().int() }),
      points: z.number(),
    }),
    z.object({
      kind: z.literal('fair_share'),
      /** `factor` scales the distance penalty: below 1 the commune does less than its part, above 1 more. */
      value: z.object({ share: z.number(), fairPart: z.number(), factor: z.number() }),
      points: z.number(),
    }),
  ])
  .meta({ id: 'SuggestionReason' });
export type SuggestionReason = z.infer<typeof SuggestionReason>;

export const Suggestion = z
  .object({
    task: PublicTask,
    requestingCommuneName: z.string(),
    score: z.number(),
    reasons: z.array(SuggestionReason),
  })
  .meta({ id: 'Suggestion' });
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionList = z
  .object({
    items: z.array(Suggestion),
    /** The caller's commune's part of the region's claimed work, and its fair part. */
    fairShare: z.object({ share: z.number(), fairPart: z.number(), held: z.number().int(), claimed: z.number().int() }),
  })
  .meta({ id: 'SuggestionList' });
export type SuggestionList = z.infer<typeof SuggestionList>;
