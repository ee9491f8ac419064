import { isRegionMember, type Actor } from '../../core/actor';

/** What a rule needs to know of a transfer request. */
export interface TransferScope {
  regionId: string;
  holderCommuneId: string;
  askerCommuneId: string;
  status: string;
}

// Who may act on transfers at all, from the actor alone: the endpoints' permissions.

/** Asking: a clerk (for their commune) or the region's coordinator (for a commune it names). */
export function canRequestTransfers(actor: Actor): boolean {
  return (
    actor.active &&
    ((actor.role === 'clerk' && actor.communeId !== null && actor.regionId !== null) ||
      (actor.role === 'coordinator' && actor.regionId !== null))
  );
}

/** Answering: the clerks and managers of a commune (the one holding the claim, checked on the row). */
export function canAnswerTransfers(actor: Actor): boolean {
  return actor.active && (actor.role === 'clerk' || actor.role === 'manager') && actor.communeId !== null;
}

/** The region's people see its transfer requests, as they see its tasks. */
export function canListTransfers(actor: Actor): actor is Actor & { regionId: string } {
  return isRegionMember(actor);
}

// The rules on one request.

export function canViewTransfer(actor: Actor, request: TransferScope): boolean {
  return isRegionMember(actor) && actor.regionId === request.regionId;
}

/** The commune that holds the claim answers: its clerks and managers, while the request is open. */
export function canAnswerTransfer(actor: Actor, request: TransferScope): boolean {
  return canViewTransfer(actor, request) && canAnswerTransfers(actor) && actor.communeId === request.holderCommuneId;
}
