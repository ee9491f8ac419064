import { isRegionMember, type Actor } from '../../core/actor';

/** Starting and ending a region's drills: its coordinator. */
export function canRunDrills(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role === 'coordinator' && actor.regionId !== null;
}

/** The region's people see its running drill (to work it in exercise mode), as they see its tasks. */
export function canListDrills(actor: Actor): actor is Actor & { regionId: string } {
  return isRegionMember(actor);
}

/** One drill: the people of its region; another region's drill is "not found". */
export function canViewDrill(actor: Actor, drill: { regionId: string }): boolean {
  return isRegionMember(actor) && actor.regionId === drill.regionId;
}

/** Ending one drill: the coordinator of its region. */
export function canEndDrill(actor: Actor, drill: { regionId: string }): boolean {
  return canRunDrills(actor) && actor.regionId === drill.regionId;
}

/** The ended drills and their reports: the coordinator's history. */
export function canSeeDrillHistory(actor: Actor): boolean {
  return canRunDrills(actor);
}
