import type { Me, SignedIn } from '../../../shared/schemas';
import { roleRequiresSecondFactor, type Actor } from '../../core/actor';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import { presentUser } from '../accounts/accounts-presenter';
import { findActorByUsername } from '../accounts/accounts-repo';
import { accountPreferencesAndRecovery, latestRecovery, markRecoverySeen } from '../recoveries/recoveries-repo';

/** How long a confirmed recovery is still shown to the account's owner. */
const RECOVERY_SHOWN_MS = 7 * 24 * 3600_000;

/** The signed-in user, with the bar on citizen data and the latest recovery of their account. */
export async function presentMe(ctx: DomainContext, actor: Actor): Promise<Me> {
  const account = await accountPreferencesAndRecovery(ctx.db, actor.id);
  const latest = account?.recovery;
  // Told until a second person confirms it, then for a week: not on every sign-in for ever.
  const recovery =
    latest && (!latest.confirmedAt || ctx.clock.now().getTime() - latest.recoveredAt.getTime() < RECOVERY_SHOWN_MS)
      ? latest
      : undefined;
  return {
    ...presentUser(actor),
    citizenBarred: actor.citizenBarred,
    recovery: recovery
      ? {
          method: recovery.method,
          recoveredByName: recovery.recoveredByName,
          recoveredAt: recovery.recoveredAt.toISOString(),
          confirmedByName: recovery.confirmedByName,
          confirmedAt: recovery.confirmedAt?.toISOString() ?? null,
        }
      : null,
    locale: account?.locale ?? 'fr',
    email: account?.email ?? null,
    secondFactor: {
      enabled: actor.secondFactorEnabled,
      required: ctx.requireSecondFactor && roleRequiresSecondFactor(actor.role),
    },
  };
}

/**
 * A sign-in: recorded (with the second factor's proof, when one was asked), and the account's owner
 * is shown (once recorded as seen) that it was recovered.
 */
export async function signedIn(
  ctx: DomainContext,
  actor: Actor,
  method: 'password' | 'access_code',
  secondFactor?: 'totp' | 'recovery_code',
): Promise<SignedIn> {
  const detail = secondFactor ? { method, secondFactor } : { method };
  // The sign-in and "the owner has seen the recovery" are one fact: both are written, or neither.
  await transaction(ctx.db, async (tx) => {
    await appendAudit(tx, byActor(actor, { kind: 'sign_in', subjectUserId: actor.id, detail }));
    const latest = await latestRecovery(tx, actor.id);
    if (latest && !latest.seenAt) await markRecoverySeen(tx, latest.id);
  });
  return { user: await presentMe(ctx, actor) };
}

/**
 * A refused sign-in, recorded under the account it named when there is one; a username that names no
 * account is not kept (it may be someone's name mistyped).
 */
export async function signInRefused(
  ctx: DomainContext,
  username: string,
  why: 'password' | 'access_code' | 'second_factor',
  reason?: 'wrong' | 'replayed',
) {
  const account = await findActorByUsername(ctx.db, username.trim().toLowerCase());
  await appendAudit(ctx.db, {
    kind: 'sign_in_failed',
    regionId: account?.regionId ?? null,
    actorUserId: null,
    subjectUserId: account?.id ?? null,
    detail: { method: why, knownAccount: account !== undefined, ...(reason ? { reason } : {}) },
  });
}

export async function signedOut(ctx: DomainContext, actor: Actor): Promise<void> {
  await appendAudit(ctx.db, byActor(actor, { kind: 'sign_out', subjectUserId: actor.id }));
}
