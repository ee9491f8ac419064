import crypto from 'node:crypto';
import type {
  FieldError,
  PasswordReset,
  Role,
  User,
  UserCreate,
  UserListQuery,
  UserUpdate,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction, type Executor } from '../../db/client';
import { hashPassword } from '../auth/passwords';
import { announceSessionChange, deleteSessionsOfUser } from '../auth/sessions-repo';
import { findCommune, findRegion } from '../communes/communes-repo';
import { insertRecovery } from '../recoveries/recoveries-repo';
import { canListAccounts, canSeeAccount } from './accounts-policy';
import { presentUser } from './accounts-presenter';
import { findActor, findUserById, insertUserIfFree, listActors, updateUser, usernameExists } from './accounts-repo';
import { msg } from '../../core/messages';

export const onlyAdminManagesAccounts = msg('only_admin_manages_accounts');
export const onlyAdminAndCoordinatorsSeeAccounts = msg('only_admin_and_coordinators_see_accounts');

/** Every account for the admin; the managers and clerks of their region for a coordinator; filtered. */
export async function listUsers(
  ctx: DomainContext,
  actor: Actor,
  filter: UserListQuery = {},
): Promise<{ items: User[] }> {
  if (!canListAccounts(actor)) throw new ForbiddenError(onlyAdminAndCoordinatorsSeeAccounts);
  const found = await listActors(ctx.db, filter);
  return { items: found.filter((user) => canSeeAccount(actor, user)).map(presentUser) };
}

interface Scope {
  role: Role;
  communeId: string | null;
  regionId: string | null;
}

/** What is wrong with an account's role and scope: a manager or clerk has a commune, a coordinator or DPO a region. */
async function scopeErrors(db: Executor, scope: Scope): Promise<FieldError[]> {
  const { role, communeId, regionId } = scope;
  if ((role === 'manager' || role === 'clerk') && (!communeId || regionId)) {
    return [
      { field: 'communeId', message: `is required for a ${role}, and regionId must be left out`, code: 'invalid' },
    ];
  }
  if ((role === 'coordinator' || role === 'dpo') && (!regionId || communeId)) {
    return [
      { field: 'regionId', message: `is required for a ${role}, and communeId must be left out`, code: 'invalid' },
    ];
  }
  if (role === 'admin' && (regionId || communeId)) {
    return [{ field: 'role', message: 'an admin belongs to no commune or region', code: 'invalid' }];
  }
  if (communeId && !(await findCommune(db, communeId))) {
    return [{ field: 'communeId', message: 'is not a known commune', code: 'invalid' }];
  }
  if (regionId && !(await findRegion(db, regionId))) {
    return [{ field: 'regionId', message: 'is not a known region', code: 'invalid' }];
  }
  return [];
}

/**
 * The admin's (endpoint permission). The admin chose the password, so the account is recovered by
 * them from the start: it reaches no citizen data until a second person confirms (recoveries).
 */
export async function createUser(ctx: DomainContext, actor: Actor, input: UserCreate): Promise<User> {
  const scope = { role: input.role, communeId: input.communeId ?? null, regionId: input.regionId ?? null };
  const errors = await scopeErrors(ctx.db, scope);
  if (errors.length > 0) throw new ValidationError(msg('account_not_created'), errors);
  const taken = () => new ConflictError(msg('username_taken', { username: input.username }), 'duplicate');
  // Checked first to spare the password hash; two simultaneous creates are settled by the unique index.
  if (await usernameExists(ctx.db, input.username)) throw taken();
  const passwordHash = await hashPassword(input.password);
  const id = await transaction(ctx.db, async (tx) => {
    const row = await insertUserIfFree(tx, {
      ...scope,
      username: input.username,
      displayName: input.displayName,
      passwordHash,
    });
    if (!row) return undefined;
    await insertRecovery(tx, { userId: row.id, method: 'created', recoveredBy: actor.id });
    const created = await findActor(tx, row.id);
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'account_created',
        regionId: created?.regionId ?? null,
        subjectUserId: row.id,
        detail: { role: scope.role, communeId: scope.communeId, regionId: scope.regionId },
      }),
    );
    return row.id;
  });
  if (!id) throw taken();
  const created = await findActor(ctx.db, id);
  if (!created) throw new NotFoundError('user');
  return presentUser(created);
}

/** The fields a change sets: the audit trail names them (a password's value never). */
const changedFields = (input: UserUpdate) =>
  (['displayName', 'active', 'password', 'role', 'communeId', 'regionId', 'email'] as const).filter(
    (f) => input[f] !== undefined,
  );

/**
 * The admin's (endpoint permission). Deactivating an account or changing its password ends its
 * sessions in the same transaction, and its live connections with them; a new role or scope ends the
 * connections (their rooms follow the old one). A new password is a recovery by the admin: the
 * account reaches no citizen data until a second person confirms.
 */
export async function changeUser(ctx: DomainContext, actor: Actor, id: string, input: UserUpdate): Promise<User> {
  const target = await findUserById(ctx.db, id);
  if (!target) throw new NotFoundError('user');
  if (target.id === actor.id && (input.active === false || input.role !== undefined))
    throw new ConflictError(msg('self_change'), 'self_change');
  const rescoped = input.role !== undefined || input.communeId !== undefined || input.regionId !== undefined;
  // A new role takes the scope given with it; otherwise the scope changes only where it is given.
  const kept = <T>(given: T | undefined, current: T | null) => given ?? (input.role === undefined ? current : null);
  const scope: Scope = {
    role: input.role ?? target.role,
    communeId: kept(input.communeId, target.communeId),
    regionId: kept(input.regionId, target.regionId),
  };
  if (rescoped) {
    const errors = await scopeErrors(ctx.db, scope);
    if (errors.length > 0) throw new ValidationError(msg('account_not_changed'), errors);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const sessionsEnded = input.active === false || input.password !== undefined;
  await transaction(ctx.db, async (tx) => {
    await updateUser(tx, id, {
      displayName: input.displayName,
      active: input.active,
      passwordHash,
      email: input.email,
      ...(rescoped ? scope : {}),
    });
    if (sessionsEnded) await deleteSessionsOfUser(tx, id);
    const audit = { regionId: (await findActor(tx, id))?.regionId ?? null, subjectUserId: id };
    await appendAudit(
      tx,
      byActor(actor, { kind: 'account_changed', ...audit, detail: { fields: changedFields(input) } }),
    );
    if (input.password !== undefined) {
      await insertRecovery(tx, { userId: id, method: 'password_reset', recoveredBy: actor.id });
      await appendAudit(
        tx,
        byActor(actor, { kind: 'account_recovered', ...audit, detail: { method: 'password_reset' } }),
      );
    }
    // Every instance drops the sessions it keeps in memory for this user (told on commit).
    await announceSessionChange(tx, { userId: id });
  });
  ctx.hooks.accountChanged(id, sessionsEnded || rescoped);
  const user = await findActor(ctx.db, id);
  if (!user) throw new NotFoundError('user');
  return presentUser(user);
}

/** No 0/O, 1/I/L: the password is read out or copied by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

/** 16 characters of 55 (about 92 bits), in groups of four. */
function newPassword(): string {
  let text = '';
  for (let i = 0; i < 16; i++) text += ALPHABET.charAt(crypto.randomInt(ALPHABET.length));
  return text.match(/.{4}/g)?.join('-') ?? text;
}

/**
 * The admin's (endpoint permission): a new password chosen by the server, shown this once. It is a
 * password change by the admin (changeUser): the account's sessions and connections end, and it
 * reaches no citizen data until a second person confirms the recovery.
 */
export async function resetPassword(ctx: DomainContext, actor: Actor, id: string): Promise<PasswordReset> {
  if (id === actor.id) throw new ConflictError(msg('self_password_reset'), 'self_change');
  const password = newPassword();
  const user = await changeUser(ctx, actor, id, { password });
  return { password, user };
}
