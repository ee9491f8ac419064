import type { Actor } from '../../core/actor';

/** A commune's managers keep its webhooks; a region's coordinators keep the region's. */
export function canManageWebhooks(actor: Actor): boolean {
  return (
    actor.active &&
    ((actor.role === 'manager' && actor.communeId !== null) ||
      (actor.role === 'coordinator' && actor.regionId !== null))
  );
}

/** The scope a new webhook of `actor` covers: their commune (manager) or their region (coordinator). */
export function webhookScopeOf(actor: Actor): { communeId: string } | { regionId: string } | undefined {
  if (!canManageWebhooks(actor)) return undefined;
  if (actor.role === 'manager' && actor.communeId) return { communeId: actor.communeId };
  if (actor.role === 'coordinator' && actor.regionId) return { regionId: actor.regionId };
  return undefined;
}

/** Whether `actor` sees (and may delete) a webhook: the same scope, else it is not found. */
export function canSeeWebhook(actor: Actor, hook: { communeId: string | null; regionId: string | null }): boolean {
  const scope = webhookScopeOf(actor);
  if (!scope) return false;
  return 'communeId' in scope ? hook.communeId === scope.communeId : hook.regionId === scope.regionId;
}
