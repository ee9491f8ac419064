import type { User, UserCreate, UserUpdate } from '../../shared/schemas';
import { hashPassword } from '../auth/passwords';
import { findCommune, findRegion } from '../db/geography-repo';
import { announceSessionChange } from '../db/misc-repo';
import { deleteSessionsOfUser, findActor, insertUser, listActors, updateUser, usernameExists } from '../db/users-repo';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { canAdminister, canListAccounts, canSeeAccount } from '../policies/commune-policy';
import { presentUser } from '../presenters/incident';
import type { Actor } from './actor';
import type { DomainContext } from './context';

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new ForbiddenError('Only the platform administrator can manage accounts.');
}

/** Every account for the admin; the managers and clerks of their region for a coordinator. */
export async function listUsers(ctx: DomainContext, actor: Actor): Promise<{ items: User[] }> {
  if (!canListAccounts(actor))
    throw new ForbiddenError("Only the platform administrator and the region's coordinator can see accounts.");
  return { items: (await listActors(ctx.db)).filter((user) => canSeeAccount(actor, user)).map(presentUser) };
}

export async function createUser(ctx: DomainContext, actor: Actor, input: UserCreate): Promise<User> {
  requireAdmin(actor);
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
  if (await usernameExists(ctx.db, input.username))
    throw new ConflictError(`The username ${input.username} is taken.`, 'duplicate');
  const row = await insertUser(ctx.db, {
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    communeId: input.communeId ?? null,
    regionId: input.regionId ?? null,
    passwordHash: await hashPassword(input.password),
  });
  const created = await findActor(ctx.db, row.id);
  if (!created) throw new Error('created user vanished');
  return presentUser(created);
}

export interface UserChange {
  user: User;
  /** Sessions ended because the account was deactivated or its password changed. */
  sessionsEnded: boolean;
}

export async function changeUser(ctx: DomainContext, actor: Actor, id: string, input: UserUpdate): Promise<UserChange> {
  requireAdmin(actor);
  const target = await findActor(ctx.db, id);
  if (!target) throw new NotFoundError('user');
  if (target.id === actor.id && input.active === false)
    throw new ConflictError('You cannot deactivate your own account.', 'self_deactivation');
  await updateUser(ctx.db, id, {
    displayName: input.displayName,
    active: input.active,
    passwordHash: input.password ? await hashPassword(input.password) : undefined,
  });
  const sessionsEnded = input.active === false || input.password !== undefined;
  if (sessionsEnded) await deleteSessionsOfUser(ctx.db, id);
  // Every instance drops the sessions it keeps in memory for this user.
  await announceSessionChange(ctx.db, { userId: id });
  const user = await findActor(ctx.db, id);
  if (!user) throw new NotFoundError('user');
  return { user: presentUser(user), sessionsEnded };
}
