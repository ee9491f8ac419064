import type { Task } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ClaimCapError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { ClaimBatcher } from './claim-batcher';
import { canClaimTask, canClaimTasks, canViewTask } from './tasks-policy';
import { presentTask } from './tasks-presenter';
import { msg } from '../../core/messages';

export const onlyClerksClaim = msg('only_clerks_claim');

/** One batcher per app: the claims that reach it in the same turn of the event loop share a statement. */
const batchers = new WeakMap<DomainContext, ClaimBatcher>();

function claimsOf(ctx: DomainContext): ClaimBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) {
    const { metrics } = ctx;
    batcher = new ClaimBatcher(ctx.db, {
      onBatch: (claims) => metrics.claimBatchSize.observe(claims.length),
      onSplit: () => metrics.claimBatchSplits.inc(),
    });
    batchers.set(ctx, batcher);
  }
  return batcher;
}

/**
 * The claim: one conditional write (with the claims that arrive with it); the loser learns who
 * holds the task. Which claims a task takes is `isClaimableBy` (task-rules.ts), which the claim
 * statement applies in SQL.
 */
export async function claimTask(ctx: DomainContext, actor: Actor, taskId: string): Promise<Task> {
  if (!canClaimTasks(actor)) throw new ForbiddenError(onlyClerksClaim);
  const { communeId, regionId } = actor;
  const claim = { taskId, regionId, communeId, userId: actor.id };
  let outcome = await claimsOf(ctx).claim(claim);
  // The batch ranks a commune's claims before it knows which of them lose their task to another
  // commune's earlier claim in the same batch; such a loser may have taken the room of this one. If
  // the commune ended the statement below its cap, the claim deserves another go, in a later batch.
  if (outcome && !outcome.won && outcome.capped && outcome.capped.active < outcome.capped.cap) {
    outcome = await claimsOf(ctx).claim(claim);
  }
  if (outcome?.won) {
    ctx.sequencer.kick();
    ctx.metrics.claims.inc();
    return presentTask(actor, outcome.task);
  }
  // Lost, or not claimable: the same statement read the task as it is now, with its holder's name.
  // (An open task is claimed for the first clerk who may claim it, so a claim that was not refused
  // finds it claimed or finished.)
  if (!outcome || !canViewTask(actor, outcome.task)) throw new NotFoundError('task');
  const current = outcome.task;
  if (!canClaimTask(actor, current)) throw new ForbiddenError(msg('claim_own_task'));
  if (outcome.capped) {
    ctx.metrics.claimConflicts.inc();
    throw new ClaimCapError(outcome.capped.cap, outcome.capped.active);
  }
  if (current.status === 'claimed' || current.status === 'in_progress') {
    ctx.metrics.claimConflicts.inc();
    throw new ConflictError(
      msg('already_claimed', { holder: outcome.holderName ?? null }),
      'already_claimed',
      presentTask(actor, current),
    );
  }
  throw new ConflictError(
    msg('claimed_no_longer', { status: current.status }),
    'invalid_transition',
    presentTask(actor, current),
  );
}
