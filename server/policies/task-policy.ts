import type { TaskAbilities, TaskStatus } from '../../shared/schemas';
import type { Actor } from '../domain/actor';

/** What a rule needs to know of a task. */
export interface TaskScope {
  regionId: string;
  requestingCommuneId: string;
  claimedByCommuneId: string | null;
  status: TaskStatus;
}

const communeRoles = new Set(['manager', 'clerk']);

/** Managers, clerks and coordinators see every task of their own region; nobody sees another region's. */
export function canViewTask(actor: Actor, task: TaskScope): boolean {
  if (!actor.active || actor.regionId === null) return false;
  return (communeRoles.has(actor.role) || actor.role === 'coordinator') && actor.regionId === task.regionId;
}

/** Citizen data: the requesting commune and the commune that holds the claim, nobody else. */
export function canViewCitizen(actor: Actor, task: TaskScope): boolean {
  return (
    canViewTask(actor, task) &&
    communeRoles.has(actor.role) &&
    actor.communeId !== null &&
    (actor.communeId === task.requestingCommuneId || actor.communeId === task.claimedByCommuneId)
  );
}

export function canPostTasks(actor: Actor): boolean {
  return actor.active && actor.role === 'manager' && actor.communeId !== null;
}

export function canUpdateTask(actor: Actor, task: TaskScope): boolean {
  return canViewTask(actor, task) && actor.role === 'manager' && actor.communeId === task.requestingCommuneId;
}

export const canCancelTask = canUpdateTask;

/** A clerk claims for their commune, never a task their own commune posted. */
export function canClaimTask(actor: Actor, task: TaskScope): boolean {
  return canViewTask(actor, task) && actor.role === 'clerk' && actor.communeId !== task.requestingCommuneId;
}

export function canWorkTask(actor: Actor, task: TaskScope): boolean {
  return (
    canViewTask(actor, task) &&
    actor.role === 'clerk' &&
    task.claimedByCommuneId !== null &&
    actor.communeId === task.claimedByCommuneId
  );
}

export function canReleaseTask(actor: Actor, task: TaskScope): boolean {
  return canWorkTask(actor, task) || canReassignTask(actor, task);
}

export function canReassignTask(actor: Actor, task: TaskScope): boolean {
  return canViewTask(actor, task) && actor.role === 'coordinator';
}

/** The statuses each change may start from: the life cycle of SPEC.md. */
export const lifecycle = {
  update: ['open', 'claimed', 'in_progress'],
  claim: ['open'],
  start: ['claimed'],
  complete: ['in_progress'],
  release: ['claimed', 'in_progress'],
  cancel: ['open', 'claimed', 'in_progress'],
  reassign: ['claimed', 'in_progress'],
} as const satisfies Record<string, readonly TaskStatus[]>;

const can = (status: TaskStatus, action: keyof typeof lifecycle) =>
  (lifecycle[action] as readonly TaskStatus[]).includes(status);

/** What the actor may do with the task now, sent beside it so that the client never recomputes rules. */
export function taskAbilities(actor: Actor, task: TaskScope): TaskAbilities {
  return {
    update: canUpdateTask(actor, task) && can(task.status, 'update'),
    claim: canClaimTask(actor, task) && can(task.status, 'claim'),
    start: canWorkTask(actor, task) && can(task.status, 'start'),
    complete: canWorkTask(actor, task) && can(task.status, 'complete'),
    release: canReleaseTask(actor, task) && can(task.status, 'release'),
    cancel: canCancelTask(actor, task) && can(task.status, 'cancel'),
    reassign: canReassignTask(actor, task) && can(task.status, 'reassign'),
    viewCitizen: canViewCitizen(actor, task),
  };
}
