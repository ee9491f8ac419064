import { z } from 'zod';
import { limits } from '../limits';
import { Id, Limit } from './common';
import { periodCheck, ReportDate, ReportFormat } from './reports';
import { Citizen, TaskAction, TaskStatus } from './tasks';

/** A commune's hand-back journal of a period: days from and to included, in Europe/Brussels. */
export const JournalQuery = z
  .strictObject({
    from: ReportDate,
    to: ReportDate,
    format: ReportFormat.optional(),
    cursor: z.string().max(200).optional(),
    limit: Limit,
  })
  .superRefine(periodCheck(limits.journalPeriodDaysMax))
  .meta({ id: 'JournalQuery' });
export type JournalQuery = z.infer<typeof JournalQuery>;

/** One act on one of the commune's tasks, as its registers need it when its systems return. */
export const JournalEntry = z
  .object({
    /** The event's id: the journal's order. */
    id: z.number().int(),
    at: z.string(),
    taskId: Id,
    code: z.string(),
    type: z.string(),
    title: z.string(),
    action: TaskAction,
    fromStatus: TaskStatus.nullable(),
    toStatus: TaskStatus,
    /** `system` for what nobody did by hand (a stale claim released, an erasure); `integration` for the citizen portal. */
    actorKind: z.enum(['user', 'system', 'integration']),
    /** The person, or the integration's token name. */
    actorName: z.string().nullable(),
    actorCommuneId: Id.nullable(),
    actorCommuneName: z.string().nullable(),
    /** A post by the region's coordinator for the commune in incident. */
    onBehalf: z.boolean(),
    /** Done by the commune's own people (its own posts, edits and cancellations). */
    byOwnCommune: z.boolean(),
    /** The outcome of a completion, the reason of a release or cancellation. */
    note: z.string().nullable(),
    /** The minutes a completion took. */
    minutesSpent: z.number().int().nullable(),
    /** The task's citizen, for the commune's own managers only (each read recorded). */
    citizen: Citizen.optional(),
  })
  .meta({ id: 'JournalEntry' });
export type JournalEntry = z.infer<typeof JournalEntry>;

export const Journal = z
  .object({
    communeId: Id,
    communeName: z.string(),
    from: ReportDate,
    to: ReportDate,
    timeZone: z.string(),
    /** Why the entries carry no citizen data although the reader is one of the commune's managers. */
    citizenWithheld: z.enum(['account_recovery_unconfirmed']).optional(),
    items: z.array(JournalEntry),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'Journal' });
export type Journal = z.infer<typeof Journal>;
