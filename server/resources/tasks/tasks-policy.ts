import type { TaskAbilities, TaskStatus } from '../../../shared/schemas';
import { isRegionMember, type Actor } from '../../core/actor';
import { canMove, isEligibleClaimant } from './task-rules';

/** What a rule needs to know of a task. */
export interface TaskScope {
  regionId: string;
  requestingCommuneId: string;
  claimedByCommuneId: string | null;
  status: TaskStatus;
}

export type CommuneActor = Actor & { communeId: string; regionId: string };

// Who may act on tasks at all, from the actor alone: the endpoints' permissions, checked before any
// task is read (a 403 there says nothing about a task). The rules on one task follow.

/** The region's tasks, their list and their history are for its managers, clerks and coordinator. */
export function canListTasks(actor: Actor): actor is Actor & { regionId: string } {
  return isRegionMember(actor);
}

/** Managers post, edit and cancel their commune's tasks. */
export function canPostTasks(actor: Actor): actor is CommuneActor {
  return actor.active && actor.role === 'manager' && actor.communeId !== null && actor.regionId !== null;
}

/** Posting: a manager for their commune, the region's coordinator for a commune in incident. */
export function canPostOrPostOnBehalf(actor: Actor): boolean {
  return canPostTasks(actor) || canCoordinateTasks(actor);
}

/** Clerks claim, start and complete tasks for their commune. */
export function canClaimTasks(actor: Actor): actor is CommuneActor {
  return actor.active && actor.role === 'clerk' && actor.communeId !== null && actor.regionId !== null;
}

/** The region's coordinator reassigns and releases claimed tasks. */
export function canCoordinateTasks(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role === 'coordinator' && actor.regionId !== null;
}

/** Managers and the coordinator export the region's tasks (never their citizen data). */
export function canExportTasks(actor: Actor): actor is Actor & { regionId: string } {
  return canPostTasks(actor) || canCoordinateTasks(actor);
}

export function canReleaseTasks(actor: Actor): boolean {
  return canClaimTasks(actor) || canCoordinateTasks(actor);
}

/** Managers, clerks and coordinators see every task of their own region; nobody sees another region's. */
export function canViewTask(actor: Actor, task: TaskScope): boolean {
  return isRegionMember(actor) && actor.regionId === task.regionId;
}

/** A task's history (never citizen data): its region's people, and its region's DPO, who audits it. */
export function canViewTaskHistory(actor: Actor, task: TaskScope): boolean {
  return canViewTask(actor, task) || (actor.active && actor.role === 'dpo' && actor.regionId === task.regionId);
}

/**
 * Citizen data: the requesting commune and the commune that holds the claim, nobody else; and not
 * through an account someone else recovered until a second person has confirmed it.
 */
export function canViewCitizen(actor: Actor, task: TaskScope): boolean {
  return (
    !actor.citizenBarred &&
    canViewTask(actor, task) &&
    (canPostTasks(actor) || canClaimTasks(actor)) &&
    (actor.communeId === task.requestingCommuneId || actor.communeId === task.claimedByCommuneId)
  );
}

export function canUpdateTask(actor: Actor, task: TaskScope): boolean {
  return canPostTasks(actor) && canViewTask(actor, task) && actor.communeId === task.requestingCommuneId;
}

export const canCancelTask = canUpdateTask;

/** A clerk claims for their commune a task it may see, never one their own commune posted. */
export function canClaimTask(actor: Actor, task: TaskScope): boolean {
  return canClaimTasks(actor) && canViewTask(actor, task) && isEligibleClaimant(task, actor);
}

/** The clerks of the commune that holds the claim work on it. */
export function canWorkTask(actor: Actor, task: TaskScope): boolean {
  return canClaimTasks(actor) && canViewTask(actor, task) && actor.communeId === task.claimedByCommuneId;
}

/** The holder's clerks (who work on it, as they start and complete it) ask the requester a question. */
export const canAskTask = canWorkTask;

/** The requesting commune's managers (who post and edit it) answer the question it waits on. */
export const canAnswerTask = canUpdateTask;

export function canReassignTask(actor: Actor, task: TaskScope): boolean {
  return canCoordinateTasks(actor) && canViewTask(actor, task);
}

export function canReleaseTask(actor: Actor, task: TaskScope): boolean {
  return canWorkTask(actor, task) || canReassignTask(actor, task);
}

/**
 * Asking for a transfer of a claim (resources/transfers/): a clerk of a commune that could have
 * claimed the task and does not hold it, or the region's coordinator (for a commune it names).
 */
export function canRequestTransfer(actor: Actor, task: TaskScope): boolean {
  return (
    (canClaimTask(actor, task) && actor.communeId !== task.claimedByCommuneId) ||
    (canCoordinateTasks(actor) && canViewTask(actor, task))
  );
}

/** What the actor may do with the task now, sent beside it so that the client never recomputes rules. */
export function taskAbilities(actor: Actor, task: TaskScope): TaskAbilities {
  return {
    update: canUpdateTask(actor, task) && canMove(task.status, 'update'),
    claim: canClaimTask(actor, task) && canMove(task.status, 'claim'),
    start: canWorkTask(actor, task) && canMove(task.status, 'start'),
    complete: canWorkTask(actor, task) && canMove(task.status, 'complete'),
    release: canReleaseTask(actor, task) && canMove(task.status, 'release'),
    cancel: canCancelTask(actor, task) && canMove(task.status, 'cancel'),
    reassign: canReassignTask(actor, task) && canMove(task.status, 'reassign'),
    correctTime: canWorkTask(actor, task) && canMove(task.status, 'correct_time'),
    viewCitizen: canViewCitizen(actor, task),
    requestTransfer: canRequestTransfer(actor, task) && task.status === 'claimed',
    ask: canAskTask(actor, task) && canMove(task.status, 'question'),
    answer: canAnswerTask(actor, task) && canMove(task.status, 'answer'),
  };
}
