import type { Actor } from '../../core/actor';

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
