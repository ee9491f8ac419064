import { z } from 'zod';
import type {
  TransferRequest,
  TransferRequestCreate,
  TransferRequestListQuery,
  TransferRequestPage,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { msg } from '../../core/messages';
import { ClaimCapError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { isUniqueViolation, transaction, type Executor } from '../../db/client';
import { eventMeta, type EventMeta } from '../../db/events';
import type { TaskRow, TransferRequestRow } from '../../db/schema';
import { findCommune } from '../communes/communes-repo';
import { presentTask } from '../tasks/tasks-presenter';
import { canRequestTransfer, canViewTask } from '../tasks/tasks-policy';
import { findTask } from '../tasks/tasks-repo';
import { canAnswerTransfer, canListTransfers, canViewTransfer } from './transfers-policy';
import { presentTransfer } from './transfers-presenter';
import {
  closeTransfer,
  findTransfer,
  insertTransfer,
  listOpenTransfers,
  lockClaimRoom,
  lockTask,
  lockTransfer,
  markTransfer,
  moveClaim,
  transferTimeoutOf,
  type TransferCursor,
} from './transfers-repo';

export const onlyClerksOrCoordinatorAsk =
  "Only a clerk of another commune or the region's coordinator can ask for a transfer.";
export const onlyHolderAnswers =
  'Only the clerks and managers of the commune holding this task can answer its transfer request.';
export const onlyRegionMembersSeeTransfers = 'Only the people of a region see its transfer requests.';

const MINUTE_MS = 60_000;

/** Only a claim not started moves: the trigger of migration 0018 cancels a request once the task leaves it. */
const transferable = 'claimed';

function notTransferable(actor: Actor, task: TaskRow): ConflictError {
  const why =
    task.status === 'open' ? msg('transfer_of_open_task') : msg('transfer_wrong_status', { status: task.status });
  return new ConflictError(why, 'not_transferable', presentTask(actor, task));
}

const communeField = (message: string) =>
  new ValidationError(msg('transfer_commune_invalid'), [{ field: 'communeId', message, code: 'invalid' }]);

/** The commune the task would go to: the clerk's own, or the one the coordinator names (checked). */
async function askingCommune(ctx: DomainContext, actor: Actor, task: TaskRow, body: TransferRequestCreate) {
  if (actor.role === 'clerk') {
    if (body.communeId !== undefined && body.communeId !== actor.communeId)
      throw communeField('must be left out, or be your own commune');
    return actor.communeId ?? '';
  }
  if (body.communeId === undefined)
    throw new ValidationError(msg('transfer_commune_required'), [
      { field: 'communeId', message: 'is required', code: 'required' },
    ]);
  const commune = await findCommune(ctx.db, body.communeId);
  if (!commune || commune.regionId !== task.regionId) throw communeField('must be a commune of the same region');
  if (commune.id === task.requestingCommuneId) throw communeField('must not be the commune that posted the task');
  if (commune.id === task.claimedByCommuneId) throw communeField('must not be the commune that holds the task');
  return commune.id;
}

/** Why an actor who sees the task may not ask for it, if they may not. */
function refusal(actor: Actor, task: TaskRow): Error | undefined {
  if (canRequestTransfer(actor, task)) return undefined;
  if (actor.communeId !== null && actor.communeId === task.claimedByCommuneId)
    return new ConflictError(msg('transfer_already_holder'), 'already_holder', presentTask(actor, task));
  if (actor.communeId === task.requestingCommuneId) return new ForbiddenError(msg('transfer_own_task'));
  return new ForbiddenError(onlyClerksOrCoordinatorAsk);
}

async function pendingConflict(ctx: DomainContext, actor: Actor, requestId: string): Promise<ConflictError> {
  const current = await findTransfer(ctx.db, requestId);
  return new ConflictError(
    'A transfer of this task is already asked for: its holder has yet to answer.',
    'transfer_pending',
    current && presentTransfer(actor, current),
  );
}

/**
 * Asks the holder of a claim not started to hand it over: the request and the task's
 * `transfer_requested` event commit together, one open request per task (a unique index holds it
 * under any race).
 */
export async function requestTransfer(
  ctx: DomainContext,
  actor: Actor,
  taskId: string,
  body: TransferRequestCreate,
): Promise<TransferRequest> {
  const seen = await findTask(ctx.db, taskId);
  if (!seen || !canViewTask(actor, seen)) throw new NotFoundError('task');
  const refused = refusal(actor, seen);
  if (refused) throw refused;
  if (seen.status !== transferable) throw notTransferable(actor, seen);
  const askerCommuneId = await askingCommune(ctx, actor, seen, body);
  const timeout = await transferTimeoutOf(ctx.db, seen.regionId);
  const now = ctx.clock.now();
  // What the transaction found: the new request, or the one already open (read once it is over).
  const outcome = await transaction(ctx.db, async (tx): Promise<{ id: string } | { pending: string }> => {
    const task = await lockTask(tx, taskId);
    if (!task) throw new NotFoundError('task');
    if (task.status !== transferable) throw notTransferable(actor, task);
    if (task.claimedByCommuneId !== seen.claimedByCommuneId)
      throw new ConflictError(
        'This task changed hands meanwhile: here it is as it is now.',
        'stale_version',
        presentTask(actor, task),
      );
    if (task.transferRequestId) return { pending: task.transferRequestId };
    const request = await insertTransfer(tx, {
      taskId,
      regionId: task.regionId,
      holderCommuneId: task.claimedByCommuneId ?? '',
      askerCommuneId,
      askedByUserId: actor.id,
      note: body.note ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + timeout * MINUTE_MS),
    });
    const meta = eventMeta(actor, 'transfer_requested', task.status, body.note ?? null);
    if (!(await markTransfer(tx, { taskId, from: null, to: request.id }, meta))) throw notTransferable(actor, task);
    return { id: request.id };
  }).catch(async (err: unknown) => {
    if (!isUniqueViolation(err)) throw err;
    const task = await findTask(ctx.db, taskId);
    if (!task?.transferRequestId) throw err;
    return { pending: task.transferRequestId };
  });
  if ('pending' in outcome) throw await pendingConflict(ctx, actor, outcome.pending);
  const id = outcome.id;
  ctx.sequencer.kick();
  return presentTransfer(actor, await viewOf(ctx.db, id));
}

async function viewOf(db: Executor, id: string) {
  const view = await findTransfer(db, id);
  if (!view) throw new NotFoundError('transfer request');
  return view;
}

const closedWords: Record<TransferRequestRow['status'], string> = {
  open: 'still open',
  accepted: 'accepted already',
  declined: 'declined already',
  timed_out: 'timed out already: the task moved',
  cancelled: 'cancelled: the claim ended or changed hands meanwhile',
};

function closedConflict(actor: Actor, request: TransferRequestRow, view?: Parameters<typeof presentTransfer>[1]) {
  return new ConflictError(
    `This transfer request is ${closedWords[request.status]}.`,
    'transfer_closed',
    view && presentTransfer(actor, view),
  );
}

/** A request the actor may answer, open as they saw it; anything else is refused before any write. */
async function answerable(ctx: DomainContext, actor: Actor, id: string) {
  const view = await findTransfer(ctx.db, id);
  if (!view || !canViewTransfer(actor, view)) throw new NotFoundError('transfer request');
  if (!canAnswerTransfer(actor, view)) throw new ForbiddenError(onlyHolderAnswers);
  if (view.status !== 'open') throw closedConflict(actor, view, view);
  return view;
}

/**
 * Moves the claim of an open request to the asking commune, in the caller's transaction: the task,
 * then the request, then both communes' claim counts are locked (the order every change takes), the
 * asker's cap applies, and the request, the task and its event are written together.
 */
async function moveToAsker(
  tx: Executor,
  request: TransferRequestRow,
  outcome: 'accepted' | 'timed_out',
  at: Date,
  meta: EventMeta,
): Promise<{ moved: TaskRow } | { capped: { cap: number; active: number } } | { gone: TransferRequestRow }> {
  await lockTask(tx, request.taskId);
  const current = await lockTransfer(tx, request.id);
  if (!current || current.status !== 'open') return { gone: current ?? request };
  const room = await lockClaimRoom(tx, current.regionId, {
    asker: current.askerCommuneId,
    holder: current.holderCommuneId,
  });
  if (room.active >= room.cap) return { capped: room };
  await closeTransfer(tx, current.id, outcome, at, meta.actorUserId);
  const moved = await moveClaim(tx, current, at, meta);
  // An open request always points at a claimed task of its holder (the trigger sees to it).
  if (!moved) throw new Error(`transfer request ${current.id} is open but its task is not as it asked`);
  return { moved };
}

export async function acceptTransfer(ctx: DomainContext, actor: Actor, id: string): Promise<TransferRequest> {
  const request = await answerable(ctx, actor, id);
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    const result = await moveToAsker(tx, request, 'accepted', now, eventMeta(actor, 'transfer_accepted', 'claimed'));
    if ('gone' in result) throw closedConflict(actor, result.gone);
    if ('capped' in result)
      throw new ClaimCapError(
        result.capped.cap,
        result.capped.active,
        msg('claim_cap_asker', { commune: request.askerCommuneName, ...result.capped }),
      );
  });
  ctx.sequencer.kick();
  return presentTransfer(actor, await viewOf(ctx.db, id));
}

export async function declineTransfer(ctx: DomainContext, actor: Actor, id: string): Promise<TransferRequest> {
  const request = await answerable(ctx, actor, id);
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    await lockTask(tx, request.taskId);
    const current = await lockTransfer(tx, id);
    if (!current || current.status !== 'open') throw closedConflict(actor, current ?? request);
    await closeTransfer(tx, id, 'declined', now, actor.id);
    const meta = eventMeta(actor, 'transfer_declined', 'claimed');
    if (!(await markTransfer(tx, { taskId: current.taskId, from: id, to: null }, meta)))
      throw new Error(`transfer request ${id} is open but its task does not point at it`);
  });
  ctx.sequencer.kick();
  return presentTransfer(actor, await viewOf(ctx.db, id));
}

export async function getTransfer(ctx: DomainContext, actor: Actor, id: string): Promise<TransferRequest> {
  const view = await findTransfer(ctx.db, id);
  if (!view || !canViewTransfer(actor, view)) throw new NotFoundError('transfer request');
  return presentTransfer(actor, view);
}

const Cursor = z.tuple([z.iso.datetime(), z.uuid()]);

function decodeTransferCursor(cursor: string): TransferCursor {
  try {
    const [at, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at: new Date(at), id };
  } catch {
    throw new ValidationError(msg('page_cursor_invalid'), [
      { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
    ]);
  }
}

const encodeTransferCursor = (row: TransferRequestRow) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

/** The open requests for the actor's commune and those it or the actor made (the coordinator: the region's). */
export async function listTransfers(
  ctx: DomainContext,
  actor: Actor,
  query: TransferRequestListQuery,
): Promise<TransferRequestPage> {
  if (!canListTransfers(actor)) throw new ForbiddenError(onlyRegionMembersSeeTransfers);
  const rows = await listOpenTransfers(ctx.db, {
    regionId: actor.regionId,
    communeId: actor.communeId,
    userId: actor.id,
    everyOne: actor.role === 'coordinator',
    taskId: query.taskId,
    after: query.cursor === undefined ? undefined : decodeTransferCursor(query.cursor),
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => presentTransfer(actor, row)),
    nextCursor: rows.length > query.limit && last ? encodeTransferCursor(last) : null,
  };
}

/** By the system: the history shows it as such. */
const timedOut: EventMeta = {
  action: 'transfer_timed_out',
  actorUserId: null,
  actorCommuneId: null,
  fromStatus: 'claimed',
  note: null,
};

/**
 * Moves each claim whose request went unanswered past its time to the asking commune, by the
 * system. A request whose asker is at its cap stays open (its holder may still answer) and moves at
 * a later run, once the asker has room.
 */
export async function timeOutTransfers(
  tx: Executor,
  now: Date,
  expired: (after: TransferCursor | undefined) => Promise<TransferRequestRow[]>,
): Promise<{ moved: number; capped: number }> {
  let moved = 0;
  let capped = 0;
  let after: TransferCursor | undefined;
  for (;;) {
    const page = await expired(after);
    for (const request of page) {
      const result = await moveToAsker(tx, request, 'timed_out', now, timedOut);
      if ('moved' in result) moved += 1;
      if ('capped' in result) capped += 1;
    }
    const last = page.at(-1);
    if (!last) return { moved, capped };
    after = { at: last.expiresAt, id: last.id };
  }
}
