import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime, Limit } from './common';
import { freeText } from './tasks';

export const TransferStatus = z.enum(['open', 'accepted', 'declined', 'timed_out', 'cancelled']);
export type TransferStatus = z.infer<typeof TransferStatus>;

/**
 * Asking the holder of a claimed task, not started, to hand it over: a clerk asks for their own
 * commune (`communeId` left out, or their own); the coordinator names the commune it should go to.
 */
export const TransferRequestCreate = z
  .strictObject({
    communeId: Id.optional(),
    note: freeText(
      z.string().trim().min(1, 'is required').max(limits.noteMax, `must be at most ${limits.noteMax} characters`),
    ).optional(),
  })
  .meta({ id: 'TransferRequestCreate' });
export type TransferRequestCreate = z.infer<typeof TransferRequestCreate>;

/** Accepting or declining says nothing more: the request is what is answered. */
export const TransferAnswer = z.strictObject({}).meta({ id: 'TransferAnswer' });

export const TransferRequest = z
  .object({
    id: Id,
    taskId: Id,
    taskCode: z.string(),
    taskTitle: z.string(),
    regionId: Id,
    holderCommuneId: Id,
    holderCommuneName: z.string(),
    askerCommuneId: Id,
    askerCommuneName: z.string(),
    askedByUserId: Id,
    askedByName: z.string(),
    note: z.string().nullable(),
    status: TransferStatus,
    createdAt: IsoDateTime,
    /** Unanswered by then, the task moves to the asking commune (the region's `transferTimeoutMinutes`). */
    expiresAt: IsoDateTime,
    closedAt: IsoDateTime.nullable(),
    /** The holder's clerks and managers accept or decline an open request. */
    abilities: z.object({ accept: z.boolean(), decline: z.boolean() }),
  })
  .meta({ id: 'TransferRequest' });
export type TransferRequest = z.infer<typeof TransferRequest>;

export const TransferRequestPage = z
  .object({ items: z.array(TransferRequest), nextCursor: z.string().nullable() })
  .meta({ id: 'TransferRequestPage' });
export type TransferRequestPage = z.infer<typeof TransferRequestPage>;

/** The open requests for the caller's commune and those the caller's commune or the caller made; a task's alone with `taskId`. */
export const TransferRequestListQuery = z.strictObject({
  taskId: Id.optional(),
  cursor: z.string().max(200, 'must be a nextCursor returned by a previous page').optional(),
  limit: Limit,
});
export type TransferRequestListQuery = z.infer<typeof TransferRequestListQuery>;
