import type {
  AnswerRequest,
  QuestionRequest,
  CancelRequest,
  CompleteRequest,
  ReassignRequest,
  ReleaseRequest,
  Task,
  TaskCounts,
  TaskCountsQuery,
  TaskListQuery,
  TaskPage,
  TaskUpdate,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { coalesced } from '../../core/coalesced';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { groupTrackingCode } from '../../../shared/schemas';
import { openCitizen, sealCitizen } from '../../crypto/citizen-data';
import { openTrackingCode } from '../../crypto/tracking-code';
import { appendAudit, byActor } from '../../db/audit';
import { eventMeta } from '../../db/events';
import type { TaskRow } from '../../db/schema';
import { findCommune } from '../communes/communes-repo';
import { defaultMinutesOf } from '../task-types/task-types-repo';
import { legalBasisOf } from '../data-protection/data-protection-repo';
import { decodeCursor, encodeCursor } from './task-cursor';
import { canMove, dueAfterWait, lifecycle, type TaskChange } from './task-rules';
import {
  canAnswerTask,
  canAskTask,
  canCancelTask,
  canListTasks,
  canReassignTask,
  canReleaseTask,
  canUpdateTask,
  canViewCitizen,
  canViewTask,
  canWorkTask,
  type TaskScope,
} from './tasks-policy';
import { presentTask } from './tasks-presenter';
import { readTaskCode } from './task-codes';
import {
  countTasks,
  findTask,
  findTaskByCode,
  listTasks,
  updateTaskIf,
  type NewTaskRow,
  type TaskFilter,
} from './tasks-repo';
import { searchNeedle } from '../../../shared/task-search';
import { msg, type Message } from '../../core/messages';

export const onlyRegionMembersSeeTasks = msg('only_region_members_see_tasks');

/** Reads a task the actor may see; anything else is "not found", so foreign rows stay unrevealed. */
async function visibleTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<TaskRow> {
  const row = await findTask(ctx.db, taskId);
  if (!row || !canViewTask(actor, row)) throw new NotFoundError('task');
  return row;
}

/** Whether the actor may see the task at all (the live board's presence asks). */
export async function canSeeTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<boolean> {
  const row = await findTask(ctx.db, taskId);
  return row !== undefined && canViewTask(actor, row);
}

/** Why citizen data the actor's commune may read is not in the answer, if it is not. */
function citizenWithheld(actor: Actor, row: TaskRow): Task['citizenWithheld'] {
  if (!canViewCitizen({ ...actor, citizenBarred: false }, row)) return undefined;
  if (row.citizenErasedAt) return 'erased';
  return actor.citizenBarred && row.citizenCiphertext !== null ? 'account_recovery_unconfirmed' : undefined;
}

export async function getTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<Task> {
  return presentReadTask(ctx, actor, await visibleTask(ctx, actor, taskId));
}

/** The task with this code, as GET /tasks/:id answers it: a valid code of a task the actor may not see is "not found". */
export async function getTaskByCode(ctx: DomainContext, actor: Actor, typed: string): Promise<Task> {
  const row = await findTaskByCode(ctx.db, readTaskCode(typed));
  if (!row || !canViewTask(actor, row)) throw new NotFoundError('task');
  return presentReadTask(ctx, actor, row);
}

/** A task the actor may see, with the citizen data they may read (the read recorded first). */
async function presentReadTask(ctx: DomainContext, actor: Actor, row: TaskRow): Promise<Task> {
  const withheld = citizenWithheld(actor, row);
  if (withheld) return { ...presentTask(actor, row), citizenWithheld: withheld };
  if (row.citizenCiphertext === null || !canViewCitizen(actor, row)) return presentTask(actor, row);
  const citizen = openCitizen(ctx.dataKey, row.id, row.citizenCiphertext);
  const legalBasis = await legalBasisOf(ctx.db, row.regionId, row.type);
  // Recorded before the data leaves: a read that is not logged does not happen.
  await appendAudit(ctx.db, byActor(actor, { kind: 'citizen_read', taskId: row.id, regionId: row.regionId }));
  // The tracking code goes with the citizen data, to those who may print the citizen's receipt again.
  const trackingCode = row.trackingSealed
    ? groupTrackingCode(openTrackingCode(ctx.dataKey, row.id, row.trackingSealed))
    : undefined;
  return {
    ...presentTask(actor, row, citizen),
    ...(legalBasis ? { legalBasis } : {}),
    ...(trackingCode ? { trackingCode } : {}),
  };
}

/** The board's filters as the repository takes them: the list, its counts and the export all read them so. */
export function taskFilter(
  regionId: string,
  query: TaskCountsQuery & Pick<TaskListQuery, 'status'>,
  now: Date,
): TaskFilter {
  const needle = query.q ? searchNeedle(query.q) : '';
  return {
    regionId,
    world: query.drill ?? null,
    statuses: query.status,
    type: query.type,
    requestingCommuneId: query.commune,
    claimedByCommuneId: query.claimedBy,
    priority: query.priority,
    overdue: query.overdue,
    needle: needle === '' ? undefined : needle,
    now,
  };
}

export async function listTasksFor(ctx: DomainContext, actor: Actor, query: TaskListQuery): Promise<TaskPage> {
  if (!canListTasks(actor)) throw new ForbiddenError(onlyRegionMembersSeeTasks);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort);
  const filter = taskFilter(actor.regionId, query, ctx.clock.now());
  const rows = await listTasks(ctx.db, { ...filter, sort: query.sort, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => presentTask(actor, row)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({
            sort: query.sort,
            at: last.cursorAt,
            rank: query.sort === 'priority' ? last.priorityRank : null,
            id: last.id,
          })
        : null,
  };
}

/**
 * One counter per app: the boards of a region asking for the same counts at the same moment (after a
 * burst of events, each board's debounce ends within the same second) share one query.
 */
const counters = new WeakMap<
  DomainContext,
  (args: { regionId: string; query: TaskCountsQuery }) => Promise<TaskCounts>
>();

function counterOf(ctx: DomainContext) {
  let counter = counters.get(ctx);
  if (!counter) {
    counter = coalesced(
      ({ regionId, query }) => JSON.stringify([regionId, query]),
      ({ regionId, query }) => countTasks(ctx.db, taskFilter(regionId, query, ctx.clock.now())),
    );
    counters.set(ctx, counter);
  }
  return counter;
}

/** The board's column counts: exact, for the tasks the filters select that the actor may see. */
export async function countTasksFor(ctx: DomainContext, actor: Actor, query: TaskCountsQuery): Promise<TaskCounts> {
  if (!canListTasks(actor)) throw new ForbiddenError(onlyRegionMembersSeeTasks);
  // What the counts read depends on the region and the filters only: the same for every member.
  return counterOf(ctx)({ regionId: actor.regionId, query });
}

export type VersionedAction = Exclude<TaskChange, 'claim'>;

export const forbiddenMessages: Record<VersionedAction, Message> = {
  update: msg('forbidden_update'),
  start: msg('forbidden_start'),
  complete: msg('forbidden_complete'),
  release: msg('forbidden_release'),
  cancel: msg('forbidden_cancel'),
  reassign: msg('forbidden_reassign'),
  correct_time: msg('forbidden_correct_time'),
  question: msg('forbidden_question'),
  answer: msg('forbidden_answer'),
};

/** The answer to a change made on a version that is no longer the task's. */
export function staleVersion(actor: Actor, current: TaskRow, version: number): ConflictError {
  return new ConflictError(
    msg('stale_version', { current: current.version, had: version }),
    'stale_version',
    presentTask(actor, current),
  );
}

/** The answer to a change the task's status does not allow. */
export function invalidTransition(actor: Actor, row: TaskRow, action: VersionedAction): ConflictError {
  return new ConflictError(
    msg('invalid_transition', { status: row.status, action }),
    'invalid_transition',
    presentTask(actor, row),
  );
}

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
  const stale = (current: TaskRow) => staleVersion(actor, current, version);
  if (row.version !== version) throw stale(row);
  if (!canMove(row.status, action)) throw invalidTransition(actor, row, action);
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
    async (row) => ({
      status: 'done',
      outcome: body.note ?? null,
      doneAt: ctx.clock.now(),
      minutesSpent: body.minutesSpent ?? (await defaultMinutesOf(ctx.db, row.type)),
    }),
    body.note ?? null,
  );
}

const unclaimed = { claimedByCommuneId: null, claimedByUserId: null, claimedAt: null };
/** A task that no longer waits on an answer (tasks_waiting_ck: only waiting_info has these). */
export const notWaiting = { waitingFrom: null, waitingSince: null, question: null };

/**
 * Released from waiting_info too (the answer did not come): back to open with the due date it has,
 * the wait not credited, since only an answer moves the due date.
 */
export function releaseTask(ctx: DomainContext, actor: Actor, taskId: string, body: ReleaseRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'release',
    body.version,
    canReleaseTask,
    () => ({ status: 'open', ...unclaimed, ...notWaiting }),
    body.reason,
  );
}

/**
 * The holder asks the requesting commune a question: the task waits in waiting_info, remembering the
 * status it was in and since when (the due date stops: isOverdue, and the answer moves it later).
 */
export function askQuestion(ctx: DomainContext, actor: Actor, taskId: string, body: QuestionRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'question',
    body.version,
    canAskTask,
    (row) => ({
      status: 'waiting_info',
      waitingFrom: row.status === 'in_progress' ? 'in_progress' : 'claimed',
      waitingSince: ctx.clock.now(),
      question: body.text,
    }),
    body.text,
  );
}

/**
 * The requesting commune answers: the task goes back to the status it was asked from, its due date
 * later by the time it waited. A claim not started goes back with its claim time moved the same way,
 * so that the reminder and stale-claim jobs do not count the wait either.
 */
export function answerQuestion(ctx: DomainContext, actor: Actor, taskId: string, body: AnswerRequest) {
  return changeTask(
    ctx,
    actor,
    taskId,
    'answer',
    body.version,
    canAnswerTask,
    (row) => {
      const now = ctx.clock.now();
      const since = row.waitingSince ?? now;
      const back = row.waitingFrom ?? 'claimed';
      return {
        status: back,
        dueAt: dueAfterWait(row.dueAt, since, now),
        ...(back === 'claimed' && row.claimedAt ? { claimedAt: dueAfterWait(row.claimedAt, since, now) } : {}),
        ...notWaiting,
      };
    },
    body.text,
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
    () => ({ status: 'cancelled', ...notWaiting }),
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
        throw new ValidationError(msg('task_commune_invalid'), [
          { field: 'communeId', message: 'must be a commune of the same region', code: 'invalid' },
        ]);
      }
      if (target.id === row.requestingCommuneId) {
        throw new ValidationError(msg('task_commune_invalid'), [
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
