import type { Actor } from '../../core/actor';
import {
  canClaimTasks,
  canPostTasks,
  canViewTask,
  canWorkTask,
  type CommuneActor,
  type TaskScope,
} from '../tasks/tasks-policy';

/** A commune's managers and clerks print run-sheets of their commune's tasks. */
export function canPrintRunSheets(actor: Actor): actor is CommuneActor {
  return canPostTasks(actor) || canClaimTasks(actor);
}

/**
 * A task on a run-sheet: one the actor's commune holds (for its managers and clerks), or, for the
 * requesting commune's managers, one of their commune's own.
 */
export function canPrintTask(actor: Actor, task: TaskScope): boolean {
  if (!canPrintRunSheets(actor) || !canViewTask(actor, task)) return false;
  return (
    actor.communeId === task.claimedByCommuneId || (canPostTasks(actor) && actor.communeId === task.requestingCommuneId)
  );
}

/** The typed-back results are applied by the clerks who complete and release tasks: the holder's. */
export function canReconcileRunSheets(actor: Actor): actor is CommuneActor {
  return canClaimTasks(actor);
}

/** One line of a reconciliation acts on a task only as its holder's clerk could by hand. */
export const canReconcileTask = canWorkTask;
