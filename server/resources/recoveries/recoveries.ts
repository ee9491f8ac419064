import type { PendingRecovery } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import { announceSessionChange } from '../auth/sessions-repo';
import { canConfirmRecovery, canSeeRecovery } from './recoveries-policy';
import { confirmRecoveries, findRecovery, pendingRecoveries } from './recoveries-repo';
import { msg } from '../../core/messages';

export const onlySecondPersonsConfirm = msg('only_second_persons_confirm');

/** The recoveries waiting for the actor's confirmation: their region's (DPO) or their commune's (manager). */
export async function listPendingRecoveries(ctx: DomainContext, actor: Actor): Promise<{ items: PendingRecovery[] }> {
  if (!actor.regionId) return { items: [] };
  const { regionId } = actor;
  const rows = await pendingRecoveries(ctx.db, regionId);
  return {
    items: rows
      .filter((r) => canSeeRecovery(actor, { userId: r.userId, communeId: r.communeId, regionId }))
      .map((r) => ({
        id: r.id,
        userId: r.userId,
        username: r.username,
        displayName: r.displayName,
        role: r.role,
        communeId: r.communeId,
        method: r.method,
        recoveredByName: r.recoveredByName,
        recoveredAt: r.recoveredAt.toISOString(),
      })),
  };
}

/**
 * A second person confirms that the account is in its owner's hands again: its citizen data is
 * reachable from then on. Every unconfirmed recovery of the account is confirmed at once.
 */
export async function confirmRecovery(ctx: DomainContext, actor: Actor, id: string): Promise<{ confirmed: number }> {
  const recovery = await findRecovery(ctx.db, id);
  if (!recovery || !canSeeRecovery(actor, recovery)) throw new NotFoundError('recovery');
  if (recovery.confirmedAt) throw new ConflictError(msg('recovery_confirmed_already'), 'already_confirmed');
  if (!canConfirmRecovery(actor, recovery)) {
    throw actor.id === recovery.userId
      ? new ForbiddenError(msg('recovery_own_account'), 'recovery_own_account')
      : new ForbiddenError(msg('recovery_given_by_you'), 'recovery_given_by_you');
  }
  const confirmed = await transaction(ctx.db, async (tx) => {
    const count = await confirmRecoveries(tx, recovery.userId, actor.id);
    if (count === 0) return 0;
    await appendAudit(
      tx,
      byActor(actor, { kind: 'recovery_confirmed', subjectUserId: recovery.userId, detail: { recoveries: count } }),
    );
    // The account's sessions are read again everywhere, without the bar.
    await announceSessionChange(tx, { userId: recovery.userId });
    return count;
  });
  if (confirmed === 0) throw new ConflictError(msg('recovery_confirmed_already'), 'already_confirmed');
  ctx.hooks.accountChanged(recovery.userId, false);
  return { confirmed };
}
