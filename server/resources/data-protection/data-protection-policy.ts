import type { Actor } from '../../core/actor';

/** The data protection officer of a region: its audit trail and its settings, never citizen data. */
export function isDpo(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role === 'dpo' && actor.regionId !== null;
}

/** A DPO's own region, and no other. */
export function canGovernRegion(actor: Actor, regionId: string): boolean {
  return isDpo(actor) && actor.regionId === regionId;
}
