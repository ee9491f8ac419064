import type { Actor } from '../domain/actor';

/** Everyone sees the communes of their own region; an admin sees them all. */
export function canViewRegion(actor: Actor, regionId: string): boolean {
  if (!actor.active) return false;
  return actor.role === 'admin' || actor.regionId === regionId;
}

/** Board changes and loads are for the people of a region, not for the platform admin. */
export function canFollowRegion(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role !== 'admin' && actor.regionId !== null;
}

export function canAdminister(actor: Actor): boolean {
  return actor.active && actor.role === 'admin';
}
