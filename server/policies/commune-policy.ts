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

/** The admin sees every account; a coordinator sees the managers and clerks of their region. */
export function canListAccounts(actor: Actor): boolean {
  return actor.active && (actor.role === 'admin' || (actor.role === 'coordinator' && actor.regionId !== null));
}

export function canSeeAccount(actor: Actor, target: Actor): boolean {
  if (!canListAccounts(actor)) return false;
  return (
    actor.role === 'admin' ||
    ((target.role === 'manager' || target.role === 'clerk') && target.regionId === actor.regionId)
  );
}

/**
 * A one-time access code lets someone in without their password: the coordinator issues one to a
 * manager or clerk of their region, the admin to anyone but an admin; nobody to themselves.
 */
export function canIssueAccessCode(actor: Actor, target: Actor): boolean {
  if (target.id === actor.id || !canSeeAccount(actor, target)) return false;
  return target.role !== 'admin';
}
