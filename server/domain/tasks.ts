import type {
  CancelRequest,
  CompleteRequest,
  ReassignRequest,
  ReleaseRequest,
  Task,
  TaskListQuery,
  TaskPage,
  TaskUpdate,
} from '../../shared/schemas';
import { openCitizen, sealCitizen } from '../crypto/citizen-data';
import type { EventMeta } from '../db/events-repo';
import { findCommune } from '../db/geography-repo';
import { recordCitizenRead } from '../db/misc-repo';
import type { TaskRow } from '../db/schema';
import { findTask, listTasks, updateTaskIf, type NewTaskRow } from '../db/tasks-repo';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import {
  canCancelTask,
  canClaimTask,
  canReassignTask,
  canReleaseTask,
  canUpdateTask,
  canViewCitizen,
  canViewTask,
  canWorkTask,
  lifecycle,
  type TaskScope,
} from '../policies/task-policy';
import { presentTask } from '../presenters/task';
import type { Actor } from './actor';
import type { DomainContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';

/** Reads a task the actor may see; anything else is "not found", so foreign rows stay unrevealed. */
async function visibleTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<TaskRow> {
  const row = await findTask(ctx.db, taskId);
  if (!row || !canViewTask(actor, row)) throw new NotFoundError('task');
  return row;
}

export async function getTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<Task> {
  const row = await visibleTask(ctx, actor, taskId);
  if (row.citizenCiphertext === null || !canViewCitizen(actor, row)) return presentTask(actor, row);
  const citizen = openCitizen(ctx.dataKey, row.id, row.citizenCiphertext);
  // Recorded before the data leaves: a read that is not logged does not happen.
  await recordCitizenRead(ctx.db, { taskId: row.id, userId: actor.id, communeId: actor.communeId });
  return presentTask(actor, row, citizen);
}

export async function listTasksFor(ctx: DomainContext, actor: Actor, query: TaskListQuery): Promise<TaskPage> {
  if (
    !actor.regionId ||
    !canViewTask(actor, { regionId: actor.regionId, requestingCommuneId: '', claimedByCommuneId: null, status: 'open' })
  ) {
    throw new ForbiddenError('Only the people of a region see its tasks.');
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listTasks(ctx.db, {
    regionId: actor.regionId,
    statuses: query.status,
    type: query.type,
    requestingCommuneId: query.commune,
    claimedByCommuneId: query.claimedBy,
    priority: query.priority,
    overdue: query.overdue,
    text: query.q,
    after,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => presentTask(actor, row)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ dueAt: last.dueAt, id: last.id }) : null,
  };
}

/** The claim: one conditional write; the loser learns who holds the task. */
export async function claimTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<Task> {
  if (actor.role !== 'clerk' || !actor.communeId || !actor.regionId || !actor.active) {
    throw new ForbiddenError('Only a clerk can claim a task for their commune.');
  }
  const { communeId, regionId } = actor;
  const outcome = await ctx.claims.claim({ taskId, regionId, communeId, userId: actor.id });
  if (outcome?.won) {
    ctx.sequencer.kick();
    return presentTask(actor, outcome.task);
  }
  // Lost, or not claimable: the same statement read the task as it is now, with its holder's name.
  // (An open task is claimed for the first clerk who may claim it, so a claim that was not refused
  // finds it claimed or finished.)
  if (!outcome || !canViewTask(actor, outcome.task)) throw new NotFoundError('task');
  const current = outcome.task;
  if (!canClaimTask(actor, current))
    throw new ForbiddenError('Your commune posted this task: another commune must claim it.');
  if (current.status === 'claimed' || current.status === 'in_progress') {
    throw new ConflictError(
      `${outcome.holderName ?? 'Another commune'} claimed this task first.`,
      'already_claimed',
      presentTask(actor, current),
    );
  }
  throw new ConflictError(
    `This task is ${current.status.replace('_', ' ')} and can no longer be claimed.`,
    'invalid_transition',
    presentTask(actor, current),
  );
}

type VersionedAction = 'update' | 'start' | 'complete' | 'release' | 'cancel' | 'reassign';

const forbiddenMessages: Record<VersionedAction, string> = {
  update: 'Only a manager of the requesting commune can edit this task.',
  start: 'Only a clerk of the commune that claimed this task can start it.',
  complete: 'Only a clerk of the commune that claimed this task can complete it.',
  release: "Only the claiming commune's clerks or the region's coordinator can release this task.",
  cancel: 'Only a manager of the requesting commune can cancel this task.',
  reassign: "Only the region's coordinator can reassign a task.",
};

/**
 * Every change but the claim: checked against the version the client saw, then written only if the
 * row still has that version, so two people acting on the same screen cannot both succeed.
 */
async function changeTask(
  ctx: DomainContext,
  actor: Actor,
  taskId: string,
  action: VersionedAction,
  version: number,
  allowed: (actor: Actor, task: TaskScope) => boolean,
  change: (row: TaskRow) => Partial<NewTaskRow> | Promise<Partial<NewTaskRow>>,
  note: string | null = null,
): Promise<Task> {
  const row = await visibleTask(ctx, actor, taskId);
  if (!allowed(actor, row)) throw new ForbiddenError(forbiddenMessages[action]);
  const stale = (current: TaskRow) =>
    new ConflictError(
      `Someone changed this task meanwhile (version ${current.version}, you had ${version}). Here it is as it is now.`,
      'stale_version',
      presentTask(actor, current),
    );
  if (row.version !== version) throw stale(row);
  const from: readonly string[] = lifecycle[action];
  if (!from.includes(row.status)) {
    throw new ConflictError(
      `This task is ${row.status.replace('_', ' ')}: it cannot be ${pastTense[action]} now.`,
      'invalid_transition',
      presentTask(actor, row),
    );
  }
  const set = await change(row);
  const updated = await updateTaskIf(
    ctx.db,
    { taskId, version, from: lifecycle[action] },
    set,
    eventMeta(actor, action, row.status, note),
  );
  if (!updated) throw stale(await visibleTask(ctx, actor, taskId));
  ctx.sequencer.kick();
  return presentTask(actor, updated);
}

const pastTense: Record<VersionedAction, string> = {
  update: 'edited',
  start: 'started',
  complete: 'completed',
  release: 'released',
  cancel: 'cancelled',
  reassign: 'reassigned',
};

export function eventMeta(actor: Actor, action: string, fromStatus: string | null, note: string | null): EventMeta {
  return { action, actorUserId: actor.id, actorCommuneId: actor.communeId, fromStatus, note };
}

export function startTask(ctx: DomainContext, actor: Actor, taskId: string, version: number) {
  return changeTask(ctx, actor, taskId, 'start', version, canWorkTask, () => ({ status: 'in_progress' }));
}

export function completeTask(ctx: DomainContext, actor: Actor, taskId: string, body: CompleteRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'complete',
    body.version,
    canWorkTask,
    () => ({ status: 'done', outcome: body.note ?? null, doneAt: new Date() }),
    body.note ?? null,
  );
}

const unclaimed = { claimedByCommuneId: null, claimedByUserId: null, claimedAt: null };

export function releaseTask(ctx: DomainContext, actor: Actor, taskId: string, body: ReleaseRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'release',
    body.version,
    canReleaseTask,
    () => ({ status: 'open', ...unclaimed }),
    body.reason,
  );
}

export function cancelTask(ctx: DomainContext, actor: Actor, taskId: string, body: CancelRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'cancel',
    body.version,
    canCancelTask,
    () => ({ status: 'cancelled' }),
    body.reason ?? null,
  );
}

export async function reassignTask(ctx: DomainContext, actor: Actor, taskId: string, body: ReassignRequest) {
  const target = await findCommune(ctx.db, body.communeId);
  return changeTask(
    ctx,
    actor,
    taskId,
    'reassign',
    body.version,
    canReassignTask,
    (row) => {
      if (!target || target.regionId !== row.regionId) {
        throw new ValidationError('The task cannot go to that commune.', [
          { field: 'communeId', message: 'must be a commune of the same region', code: 'invalid' },
        ]);
      }
      if (target.id === row.requestingCommuneId) {
        throw new ValidationError('The task cannot go to that commune.', [
          { field: 'communeId', message: 'must not be the commune that posted the task', code: 'invalid' },
        ]);
      }
      return { status: 'claimed', claimedByCommuneId: target.id, claimedByUserId: null, claimedAt: new Date() };
    },
    `reassigned to ${target?.name ?? body.communeId}`,
  );
}

export function updateTask(ctx: DomainContext, actor: Actor, taskId: string, body: TaskUpdate) {
  return changeTask(ctx, actor, taskId, 'update', body.version, canUpdateTask, (row) => ({
    title: body.title,
    details: body.details,
    priority: body.priority,
    dueAt: body.dueAt === undefined ? undefined : new Date(body.dueAt),
    deliveryMode: body.deliveryMode,
    citizenCiphertext:
      body.citizen === undefined
        ? undefined
        : body.citizen === null
          ? null
          : sealCitizen(ctx.dataKey, row.id, body.citizen),
  }));
}
