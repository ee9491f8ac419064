import crypto from 'node:crypto';
import { limits } from '../../../shared/limits';
import type { AccessCode, AccessCodeLoginRequest } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import { canSeeAccount } from '../accounts/accounts-policy';
import { presentUser } from '../accounts/accounts-presenter';
import { findActor, findUserByUsername, updateUser } from '../accounts/accounts-repo';
import { hashPassword } from '../auth/passwords';
import { announceSessionChange, deleteSessionsOfUser } from '../auth/sessions-repo';
import { insertRecovery } from '../recoveries/recoveries-repo';
import { canIssueAccessCode } from './access-codes-policy';
import { replaceAccessCode, useAccessCode } from './access-codes-repo';
import { msg } from '../../core/messages';

export const onlyCoordinatorsIssueCodes = msg('only_coordinators_issue_codes');

/** No 0/O, 1/I/L: a code is read out over the phone and typed by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 12;

/** The code as typed (already upper case, without separators: see AccessCodeInput), hashed. */
const hashCode = (code: string) => crypto.createHash('sha256').update(code).digest('hex');

function newCode(): { code: string; printed: string } {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET.charAt(crypto.randomInt(ALPHABET.length));
  return { code, printed: code.match(/.{4}/g)?.join('-') ?? code };
}

/**
 * A coordinator gives a manager or clerk of their region a way in when they cannot sign in (their
 * password is on a computer they may not switch on, or forgotten): a code of 12 letters and digits
 * (about 59 bits), read out over the phone, good once within `limits.accessCodeHours`. Issuing a
 * new one cancels the previous unused one. Only its hash is stored. Who may issue at all is the
 * endpoint's permission (`canListAccounts`); for whom, `canIssueAccessCode`.
 */
export async function issueAccessCode(ctx: DomainContext, actor: Actor, userId: string): Promise<AccessCode> {
  const target = await findActor(ctx.db, userId);
  if (!target || !canSeeAccount(actor, target)) throw new NotFoundError('user');
  if (!canIssueAccessCode(actor, target)) {
    throw new ForbiddenError(
      actor.role === 'admin'
        ? 'An administrator cannot be given an access code.'
        : "Only the region's coordinator can give a commune's manager or clerk an access code, and never to themselves.",
    );
  }
  if (!target.active) throw new ForbiddenError(msg('code_for_deactivated'));
  const { code, printed } = newCode();
  const expiresAt = new Date(Date.now() + limits.accessCodeHours * 3_600_000);
  await transaction(ctx.db, async (tx) => {
    await replaceAccessCode(tx, { userId: target.id, codeHash: hashCode(code), issuedBy: actor.id, expiresAt });
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'access_code_issued',
        regionId: target.regionId,
        subjectUserId: target.id,
        detail: { expiresAt: expiresAt.toISOString() },
      }),
    );
  });
  return { code: printed, expiresAt: expiresAt.toISOString(), user: presentUser(target) };
}

const refused = () => new UnauthenticatedError(msg('wrong_access_code'));

/**
 * Signs in with a one-time access code and sets the new password: the code is spent at once, and
 * the account's other sessions end, as after any password change. The caller starts the session.
 * Whoever issued the code could have used it: the account is recovered by them, and reaches no
 * citizen data until a second person confirms it is in its owner's hands (recoveries).
 */
export async function signInWithAccessCode(ctx: DomainContext, input: AccessCodeLoginRequest): Promise<Actor> {
  // Hashed first, whatever the code: a wrong code takes as long as a right one.
  const passwordHash = await hashPassword(input.newPassword);
  const user = await findUserByUsername(ctx.db, input.username.toLowerCase());
  if (!user || !user.active) throw refused();
  // The code is spent and the password changed together, or neither.
  const account = await findActor(ctx.db, user.id);
  if (!account) throw refused();
  await transaction(ctx.db, async (tx) => {
    const used = await useAccessCode(tx, user.id, hashCode(input.code));
    if (!used) throw refused();
    await updateUser(tx, user.id, { passwordHash });
    await deleteSessionsOfUser(tx, user.id);
    await insertRecovery(tx, { userId: user.id, method: 'access_code', recoveredBy: used.issuedBy });
    const audit = { regionId: account.regionId, subjectUserId: user.id, detail: { issuedBy: used.issuedBy } };
    await appendAudit(tx, byActor(account, { kind: 'access_code_used', ...audit }));
    await appendAudit(
      tx,
      byActor(account, { kind: 'account_recovered', ...audit, detail: { method: 'access_code', by: used.issuedBy } }),
    );
    await announceSessionChange(tx, { userId: user.id });
  });
  // The account's live connections end with its sessions; the new session connects afresh.
  ctx.hooks.accountChanged(user.id, true);
  const actor = await findActor(ctx.db, user.id);
  if (!actor) throw refused();
  return actor;
}
