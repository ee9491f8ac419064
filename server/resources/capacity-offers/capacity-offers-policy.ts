import { isRegionMember, type Actor } from '../../core/actor';

/** What a rule needs to know of an offer. */
export interface OfferScope {
  regionId: string;
  communeId: string;
}

// Who may act on offers at all, from the actor alone: the endpoints' permissions.

/** A commune's managers offer its capacity. */
export function canOfferCapacity(actor: Actor): actor is Actor & { communeId: string; regionId: string } {
  return actor.active && actor.role === 'manager' && actor.communeId !== null && actor.regionId !== null;
}

/** The region's people see its offers, as they see its tasks. */
export function canListOffers(actor: Actor): actor is Actor & { regionId: string } {
  return isRegionMember(actor);
}

/** Withdrawing: the offering commune's managers, or the region's coordinator (checked on the row). */
export function canWithdrawOffers(actor: Actor): boolean {
  return canOfferCapacity(actor) || (actor.active && actor.role === 'coordinator' && actor.regionId !== null);
}

// The rules on one offer.

export function canViewOffer(actor: Actor, offer: OfferScope): boolean {
  return isRegionMember(actor) && actor.regionId === offer.regionId;
}

export function canUpdateOffer(actor: Actor, offer: OfferScope): boolean {
  return canViewOffer(actor, offer) && canOfferCapacity(actor) && actor.communeId === offer.communeId;
}

export function canDeleteOffer(actor: Actor, offer: OfferScope): boolean {
  return canUpdateOffer(actor, offer) || (canViewOffer(actor, offer) && actor.role === 'coordinator');
}
