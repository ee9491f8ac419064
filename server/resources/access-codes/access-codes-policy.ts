import type { Actor } from '../../core/actor';
import { canSeeAccount } from '../accounts/accounts-policy';

/**
 * A one-time access code lets someone in without their password: the coordinator issues one to a
 * manager or clerk of their region, the admin to anyone but an admin; nobody to themselves.
 */
export function canIssueAccessCode(actor: Actor, target: Actor): boolean {
  if (target.id === actor.id || !canSeeAccount(actor, target)) return false;
  return target.role !== 'admin';
}
