import { z } from 'zod';
import { Id, PasswordReset, User, UserCreate, UserList, UserListQuery, UserUpdate } from '../../../shared/schemas';
import { isAdmin } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import {
  changeUser,
  createUser,
  listUsers,
  onlyAdminAndCoordinatorsSeeAccounts,
  onlyAdminManagesAccounts,
  resetPassword,
} from './accounts';
import { canListAccounts } from './accounts-policy';

const tag = 'users';
export const UserParams = z.object({ id: Id.describe('user id') });

export const accountsEndpoints = [
  endpoint({
    method: 'get',
    path: '/users',
    tag,
    summary: 'Accounts (admin: all; coordinator: the managers and clerks of the region)',
    permission: permission.policy(canListAccounts, onlyAdminAndCoordinatorsSeeAccounts),
    query: UserListQuery,
    responses: { 200: { description: 'The accounts that match every filter given', schema: UserList } },
    handle: ({ ctx, actor, query }) => listUsers(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/users',
    tag,
    summary: 'Create an account (admin)',
    permission: permission.policy(isAdmin, onlyAdminManagesAccounts),
    body: UserCreate,
    responses: { 201: { description: 'Created', schema: User } },
    problems: { 409: 'The username is taken' },
    handle: ({ ctx, actor, body }) => createUser(ctx, actor, body),
  }),

  endpoint({
    method: 'patch',
    path: '/users/:id',
    tag,
    summary: 'Change or deactivate an account (admin); deactivating or a new password ends its sessions',
    permission: permission.policy(isAdmin, onlyAdminManagesAccounts),
    params: UserParams,
    body: UserUpdate,
    responses: { 200: { description: 'The account as it is now', schema: User } },
    problems: { 409: 'You cannot deactivate your own account' },
    handle: ({ ctx, actor, params, body }) => changeUser(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'post',
    path: '/users/:id/password-reset',
    tag,
    summary:
      'Reset a password (admin): a new one is chosen and shown once; the account reaches no citizen data until a second person confirms',
    permission: permission.policy(isAdmin, onlyAdminManagesAccounts),
    params: UserParams,
    responses: { 200: { description: 'The new password, shown this once', schema: PasswordReset } },
    problems: { 409: 'You cannot reset your own password here' },
    handle: ({ ctx, actor, params }) => resetPassword(ctx, actor, params.id),
  }),
];
