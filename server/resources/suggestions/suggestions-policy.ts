import type { Actor } from '../../core/actor';

/** A commune's clerks and managers are told which of the region's open tasks their commune should take next. */
export function canGetSuggestions(actor: Actor): actor is Actor & { communeId: string; regionId: string } {
  return (
    actor.active &&
    (actor.role === 'clerk' || actor.role === 'manager') &&
    actor.communeId !== null &&
    actor.regionId !== null
  );
}
