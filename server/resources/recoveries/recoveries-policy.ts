import type { Actor } from '../../core/actor';

/**
 * Who may confirm recoveries at all: a DPO or a commune's manager, whose own account is not waiting
 * for a confirmation itself (an account someone else just recovered or created confirms nothing).
 */
export function canConfirmRecoveries(actor: Actor): boolean {
  return actor.active && !actor.citizenBarred && (actor.role === 'dpo' || actor.role === 'manager');
}

/** The account a recovery gave a way into, and who gave it (every unconfirmed recovery of it). */
export interface RecoveryScope {
  userId: string;
  communeId: string | null;
  regionId: string | null;
  recoveredBy: readonly string[];
}

/**
 * The region's DPO confirms any account of the region; a manager the accounts of their commune.
 * Never one's own account, and never a recovery one gave oneself: two people, always.
 */
export function canConfirmRecovery(actor: Actor, recovery: RecoveryScope): boolean {
  if (!canConfirmRecoveries(actor) || actor.id === recovery.userId || recovery.recoveredBy.includes(actor.id)) {
    return false;
  }
  if (actor.role === 'dpo') return actor.regionId !== null && actor.regionId === recovery.regionId;
  return actor.communeId !== null && actor.communeId === recovery.communeId;
}

/** Whose pending recoveries the actor sees: their region's (DPO) or their commune's (manager). */
export function canSeeRecovery(actor: Actor, recovery: Omit<RecoveryScope, 'recoveredBy'>): boolean {
  if (!canConfirmRecoveries(actor)) return false;
  return actor.role === 'dpo' ? actor.regionId === recovery.regionId : actor.communeId === recovery.communeId;
}
