import type { Actor } from '../../core/actor';
import { canCoordinateTasks, canPostTasks } from '../tasks/tasks-policy';

/** Hand-back journals are read by communes' managers and the region's coordinator. */
export function canReadJournals(actor: Actor): actor is Actor & { regionId: string } {
  return canPostTasks(actor) || canCoordinateTasks(actor);
}

/** A commune of the actor's region: the others are "not found". */
export function canSeeJournalCommune(actor: Actor, commune: { regionId: string }): boolean {
  return canReadJournals(actor) && actor.regionId === commune.regionId;
}

/** The commune's own journal: its managers, and its region's coordinator. */
export function canReadJournal(actor: Actor, commune: { id: string; regionId: string }): boolean {
  return (
    canSeeJournalCommune(actor, commune) &&
    (canCoordinateTasks(actor) || (canPostTasks(actor) && actor.communeId === commune.id))
  );
}

/**
 * The citizens of the journal: the commune's own managers only (never the coordinator), and then,
 * task by task, as `canViewCitizen` allows (not through an account recovered by someone else).
 */
export function canReadJournalCitizens(actor: Actor, commune: { id: string; regionId: string }): boolean {
  return canReadJournal(actor, commune) && canPostTasks(actor) && actor.communeId === commune.id;
}
