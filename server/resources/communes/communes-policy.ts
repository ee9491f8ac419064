import type { Actor } from '../../core/actor';

/** Everyone sees the communes of their own region; an admin sees them all. */
export function canViewRegion(actor: Actor, regionId: string): boolean {
  if (!actor.active) return false;
  return actor.role === 'admin' || actor.regionId === regionId;
}
