import { isAdmin, type Actor } from '../../core/actor';

/** A commune's manager (a person, not a token) or the platform's admin. */
export function canManageIntegrationTokens(actor: Actor): boolean {
  return (
    isAdmin(actor) ||
    (actor.active && actor.role === 'manager' && actor.communeId !== null && actor.integration === undefined)
  );
}

/** The admin, any commune's tokens; a manager, its own commune's. */
export function canManageTokenOf(actor: Actor, communeId: string): boolean {
  return canManageIntegrationTokens(actor) && (isAdmin(actor) || actor.communeId === communeId);
}
