import type { User, UserCreate, UserUpdate } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { transaction } from '../../db/client';
import { findCommune, findRegion } from '../communes/communes-repo';
import { hashPassword } from '../auth/passwords';
import { announceSessionChange, deleteSessionsOfUser } from '../auth/sessions-repo';
import { canListAccounts, canSeeAccount } from './accounts-policy';
import { presentUser } from './accounts-presenter';
import { findActor, insertUserIfFree, listActors, updateUser, usernameExists } from './accounts-repo';

export const onlyAdminManagesAccounts = 'Only the platform administrator can manage accounts.';
export const onlyAdminAndCoordinatorsSeeAccounts =
  "Only the platform administrator and the region's coordinator can see accounts.";

/** Every account for the admin; the managers and clerks of their region for a coordinator. */
export async function listUsers(ctx: DomainContext, actor: Actor): Promise<{ items: User[] }> {
  if (!canListAccounts(actor)) throw new ForbiddenError(onlyAdminAndCoordinatorsSeeAccounts);
  return { items: (await listActors(ctx.db)).filter((user) => canSeeAccount(actor, user)).map(presentUser) };
}

/** The admin's (endpoint permission). */
export async function createUser(ctx: DomainContext, input: UserCreate): Promise<User> {
  const communeRole = input.role === 'manager' || input.role === 'clerk';
  if (communeRole && (!input.communeId || input.regionId)) {
    throw new ValidationError('The account was not created.', [
      {
        field: 'communeId',
        message: `is required for a ${input.role}, and regionId must be left out`,
        code: 'invalid',
      },
    ]);
  }
  if (input.role === 'coordinator' && (!input.regionId || input.communeId)) {
    throw new ValidationError('The account was not created.', [
      { field: 'regionId', message: 'is required for a coordinator, and communeId must be left out', code: 'invalid' },
    ]);
  }
  if (input.role === 'admin' && (input.regionId || input.communeId)) {
    throw new ValidationError('The account was not created.', [
      { field: 'role', message: 'an admin belongs to no commune or region', code: 'invalid' },
    ]);
  }
  if (input.communeId && !(await findCommune(ctx.db, input.communeId))) {
    throw new ValidationError('The account was not created.', [
      { field: 'communeId', message: 'is not a known commune', code: 'invalid' },
    ]);
  }
  if (input.regionId && !(await findRegion(ctx.db, input.regionId))) {
    throw new ValidationError('The account was not created.', [
      { field: 'regionId', message: 'is not a known region', code: 'invalid' },
    ]);
  }
  const taken = () => new ConflictError(`The username ${input.username} is taken.`, 'duplicate');
  // Checked first to spare the password hash; two simultaneous creates are settled by the unique index.
  if (await usernameExists(ctx.db, input.username)) throw taken();
  const row = await insertUserIfFree(ctx.db, {
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    communeId: input.communeId ?? null,
    regionId: input.regionId ?? null,
    passwordHash: await hashPassword(input.password),
  });
  if (!row) throw taken();
  const created = await findActor(ctx.db, row.id);
  if (!created) throw new Error('created user vanished');
  return presentUser(created);
}

/**
 * The admin's (endpoint permission). Deactivating an account or changing its password ends its
 * sessions in the same transaction, and its live connections with them.
 */
export async function changeUser(ctx: DomainContext, actor: Actor, id: string, input: UserUpdate): Promise<User> {
  const target = await findActor(ctx.db, id);
  if (!target) throw new NotFoundError('user');
  if (target.id === actor.id && input.active === false)
    throw new ConflictError('You cannot deactivate your own account.', 'self_deactivation');
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const sessionsEnded = input.active === false || input.password !== undefined;
  await transaction(ctx.db, async (tx) => {
    await updateUser(tx, id, { displayName: input.displayName, active: input.active, passwordHash });
    if (sessionsEnded) await deleteSessionsOfUser(tx, id);
    // Every instance drops the sessions it keeps in memory for this user (told on commit).
    await announceSessionChange(tx, { userId: id });
  });
  ctx.hooks.accountChanged(id, sessionsEnded);
  const user = await findActor(ctx.db, id);
  if (!user) throw new NotFoundError('user');
  return presentUser(user);
}
