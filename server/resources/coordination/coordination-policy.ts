import { isRegionMember, type Actor } from '../../core/actor';

/** The region's coordinator: the one who sets its coordination settings. */
export function isCoordinator(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role === 'coordinator' && actor.regionId !== null;
}

/**
 * The people who work a region's board read its coordination settings (a clerk's board shows the
 * cap of active claims); its coordinator alone changes them. Another region's answer 404.
 */
export function canReadRegionSettings(actor: Actor, regionId: string): boolean {
  return isRegionMember(actor) && actor.regionId === regionId;
}

export function canChangeRegionSettings(actor: Actor, regionId: string): boolean {
  return isCoordinator(actor) && actor.regionId === regionId;
}
