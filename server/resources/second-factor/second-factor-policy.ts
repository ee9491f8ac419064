import type { Actor } from '../../core/actor';

/**
 * Who may take someone's second factor away when they have lost it: the admin, for any account but
 * their own (another admin resets an admin's). The account then waits for a second person's
 * confirmation before it reaches citizen data, as after any recovery.
 */
export function canResetSecondFactors(actor: Actor): boolean {
  return actor.active && actor.role === 'admin';
}

export function canResetSecondFactorOf(actor: Actor, target: Pick<Actor, 'id'>): boolean {
  return canResetSecondFactors(actor) && target.id !== actor.id;
}
