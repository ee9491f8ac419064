import { msg } from '../../core/messages';
import type {
  RecoveryCodes,
  SecondFactorEnrolment,
  SecondFactorProof,
  SecondFactorStatus,
} from '../../../shared/schemas';
import { roleRequiresSecondFactor, type Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction, type Executor } from '../../db/client';
import { derivedKey, openText, sealText } from '../../crypto/sealed';
import { canSeeAccount } from '../accounts/accounts-policy';
import { findActor } from '../accounts/accounts-repo';
import { announceSessionChange } from '../auth/sessions-repo';
import { insertRecovery } from '../recoveries/recoveries-repo';
import { canResetSecondFactorOf } from './second-factor-policy';
import {
  acceptStep,
  confirmSecret,
  findSecondFactor,
  recoveryCodesLeft,
  removeSecondFactor,
  replaceRecoveryCodes,
  storeUnconfirmedSecret,
  useRecoveryCode,
} from './second-factor-repo';
import { enrolmentOf, newRecoveryCodes, newTotpSecret, recoveryCodeHash, stepOfCode } from './totp';

const secretKey = (ctx: DomainContext) => derivedKey(ctx.dataKey, 'totp-secret');
const recoveryKey = (ctx: DomainContext) => derivedKey(ctx.dataKey, 'totp-recovery-codes');

const enabledAlready = () => new ConflictError(msg('second_factor_enabled'), 'second_factor_enabled');
const noneEnabled = () => new ConflictError(msg('no_second_factor'), 'no_second_factor');

/** Where the actor's second factor stands. */
export async function secondFactorStatus(ctx: DomainContext, actor: Actor): Promise<SecondFactorStatus> {
  const row = await findSecondFactor(ctx.db, actor.id);
  const enrolledAt = row?.confirmedAt ?? null;
  return {
    enabled: enrolledAt !== null,
    enrolledAt: enrolledAt?.toISOString() ?? null,
    required: ctx.requireSecondFactor && roleRequiresSecondFactor(actor.role),
    recoveryCodesLeft: enrolledAt ? await recoveryCodesLeft(ctx.db, actor.id) : 0,
  };
}

/** A new secret, kept sealed and unconfirmed until a code of it comes back (`confirmEnrolment`). */
export async function beginEnrolment(ctx: DomainContext, actor: Actor): Promise<SecondFactorEnrolment> {
  const secret = newTotpSecret();
  const stored = await storeUnconfirmedSecret(ctx.db, actor.id, sealText(secretKey(ctx), actor.id, secret));
  if (!stored) throw enabledAlready();
  return enrolmentOf(secret, actor.username);
}

/** The refusal of a code that is not the current one, or was used already; nothing is changed. */
function refusedCode(outcome: 'wrong' | 'replayed'): ValidationError {
  const message =
    outcome === 'wrong'
      ? 'is not the current code of your authenticator app'
      : 'has been used already: wait for the next code of your authenticator app';
  return new ValidationError(`The code ${message}.`, [{ field: 'code', message, code: 'invalid' }]);
}

/** The app gave back a code of the new secret: the factor is on, with ten recovery codes shown this once. */
export async function confirmEnrolment(ctx: DomainContext, actor: Actor, code: string): Promise<RecoveryCodes> {
  const row = await findSecondFactor(ctx.db, actor.id);
  if (row?.confirmedAt) throw enabledAlready();
  const sealed = row?.sealed;
  if (!sealed) throw new ConflictError(msg('no_enrolment'), 'no_enrolment');
  const at = ctx.clock.now();
  const step = stepOfCode(openText(secretKey(ctx), actor.id, sealed), code, at);
  if (step === null) throw refusedCode('wrong');
  const codes = newRecoveryCodes();
  const confirmed = await transaction(ctx.db, async (tx) => {
    if (!(await confirmSecret(tx, actor.id, sealed, step, at))) return false;
    await replaceRecoveryCodes(
      tx,
      actor.id,
      codes.map((c) => recoveryCodeHash(recoveryKey(ctx), actor.id, c)),
    );
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'second_factor_enrolled',
        subjectUserId: actor.id,
        detail: { method: 'totp', recoveryCodes: codes.length },
      }),
    );
    await announceSessionChange(tx, { userId: actor.id });
    return true;
  });
  if (!confirmed) throw new ConflictError(msg('enrolment_changed'), 'enrolment_changed');
  ctx.hooks.accountChanged(actor.id, false);
  return { recoveryCodes: codes };
}

export type ProofOutcome = 'totp' | 'recovery_code' | 'wrong' | 'replayed';

/**
 * Checks a proof of `user`'s confirmed factor and uses it up: a TOTP code's time step (a later one
 * than any accepted before, so that a code is good once) or a recovery code (each good once, and its
 * use recorded). Run in the caller's transaction when something changes with it.
 */
export async function useProof(
  ctx: DomainContext,
  db: Executor,
  user: Actor,
  proof: SecondFactorProof,
): Promise<ProofOutcome> {
  const row = await findSecondFactor(db, user.id);
  if (!row?.confirmedAt || !row.sealed) return 'wrong';
  const at = ctx.clock.now();
  if (proof.recoveryCode !== undefined) {
    const hash = recoveryCodeHash(recoveryKey(ctx), user.id, proof.recoveryCode);
    if (!(await useRecoveryCode(db, user.id, hash, at))) return 'wrong';
    const left = await recoveryCodesLeft(db, user.id);
    await appendAudit(db, byActor(user, { kind: 'recovery_code_used', subjectUserId: user.id, detail: { left } }));
    return 'recovery_code';
  }
  const step = stepOfCode(openText(secretKey(ctx), user.id, row.sealed), proof.code ?? '', at);
  if (step === null) return 'wrong';
  if (row.lastStep !== null && step <= row.lastStep) return 'replayed';
  return (await acceptStep(db, user.id, step)) ? 'totp' : 'replayed';
}

/** As `useProof`, inside a change: a refused proof throws (400), and the transaction changes nothing. */
async function proven(ctx: DomainContext, tx: Executor, actor: Actor, proof: SecondFactorProof): Promise<void> {
  const outcome = await useProof(ctx, tx, actor, proof);
  if (outcome === 'wrong' && proof.recoveryCode !== undefined) {
    const message = 'is not an unused recovery code of your account';
    throw new ValidationError(msg('recovery_code_wrong'), [{ field: 'recoveryCode', message, code: 'invalid' }]);
  }
  if (outcome === 'wrong' || outcome === 'replayed') throw refusedCode(outcome);
}

/** The owner turns their factor off, with a current code or a recovery code. */
export async function disableSecondFactor(ctx: DomainContext, actor: Actor, proof: SecondFactorProof): Promise<void> {
  const row = await findSecondFactor(ctx.db, actor.id);
  if (!row?.confirmedAt) throw noneEnabled();
  await transaction(ctx.db, async (tx) => {
    await proven(ctx, tx, actor, proof);
    if (!(await removeSecondFactor(tx, actor.id))) throw noneEnabled();
    await appendAudit(tx, byActor(actor, { kind: 'second_factor_disabled', subjectUserId: actor.id }));
    await announceSessionChange(tx, { userId: actor.id });
  });
  ctx.hooks.accountChanged(actor.id, false);
}

/** Ten new recovery codes, shown this once; the old ones stop working. Asks a current code. */
export async function regenerateRecoveryCodes(ctx: DomainContext, actor: Actor, code: string): Promise<RecoveryCodes> {
  const row = await findSecondFactor(ctx.db, actor.id);
  if (!row?.confirmedAt) throw noneEnabled();
  const codes = newRecoveryCodes();
  await transaction(ctx.db, async (tx) => {
    await proven(ctx, tx, actor, { code });
    await replaceRecoveryCodes(
      tx,
      actor.id,
      codes.map((c) => recoveryCodeHash(recoveryKey(ctx), actor.id, c)),
    );
    await appendAudit(
      tx,
      byActor(actor, { kind: 'account_changed', subjectUserId: actor.id, detail: { fields: ['recoveryCodes'] } }),
    );
  });
  return { recoveryCodes: codes };
}

/**
 * The admin takes away the factor of someone who lost it: they sign in with their password and
 * enrol again. Whoever resets it could have learnt the password too, so it is a recovery: the
 * account reaches no citizen data until a second person confirms (docs/decisions.md).
 */
export async function resetSecondFactor(ctx: DomainContext, actor: Actor, userId: string): Promise<void> {
  const target = await findActor(ctx.db, userId);
  if (!target || !canSeeAccount(actor, target)) throw new NotFoundError('user');
  if (!canResetSecondFactorOf(actor, target)) throw new ForbiddenError(msg('own_second_factor_reset'));
  const removed = await transaction(ctx.db, async (tx) => {
    if (!(await removeSecondFactor(tx, userId))) return false;
    await insertRecovery(tx, { userId, method: 'second_factor_reset', recoveredBy: actor.id });
    const entry = { regionId: target.regionId, subjectUserId: userId };
    await appendAudit(tx, byActor(actor, { kind: 'second_factor_reset', ...entry }));
    await appendAudit(
      tx,
      byActor(actor, { kind: 'account_recovered', ...entry, detail: { method: 'second_factor_reset' } }),
    );
    await announceSessionChange(tx, { userId });
    return true;
  });
  if (!removed) throw noneEnabled();
  ctx.hooks.accountChanged(userId, false);
}
