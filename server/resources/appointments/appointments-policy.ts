import type { Actor } from '../../core/actor';

/** A commune's managers and clerks see its calendar link: they are the ones who keep its appointments. */
export function canSeeCalendarLink(actor: Actor): actor is Actor & { communeId: string } {
  return actor.active && (actor.role === 'manager' || actor.role === 'clerk') && actor.communeId !== null;
}

/** Only its managers renew it (a link that leaked, someone who left). */
export function canRenewCalendarLink(actor: Actor): actor is Actor & { communeId: string } {
  return actor.active && actor.role === 'manager' && actor.communeId !== null;
}

/** The link of `communeId`, for `actor`: only their own commune's; any other is not found. */
export function ownsCalendarOf(actor: Actor, communeId: string): boolean {
  return canSeeCalendarLink(actor) && actor.communeId === communeId;
}
