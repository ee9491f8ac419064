import { z } from 'zod';
import {
  AccessCode,
  Commune,
  CommuneList,
  PasswordReset,
  Region,
  RegionList,
  TaskType,
  User,
  UserList,
  type CommuneCreate,
  type CommuneUpdate,
  type TaskTypeCreate,
  type TaskTypeUpdate,
  type UserCreate,
  type UserListQuery,
  type UserUpdate,
} from '../../../shared/schemas';
import { call, json } from './client';

const TaskTypeList = z.object({ items: z.array(TaskType) });

/** The query string of the account filters: only the ones that say something. */
export function userQueryString(filter: Partial<Record<keyof UserListQuery, string>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value.trim() !== '') params.set(key, value.trim());
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The admin console's calls: regions, communes, accounts and task types. */
export const adminApi = {
  regions: async () => (await call(RegionList, '/regions')).items,
  createRegion: (name: string) => call(Region, '/regions', json({ name })),
  renameRegion: (id: string, name: string) => call(Region, `/regions/${id}`, json({ name }, 'PATCH')),

  communes: async (regionId?: string) =>
    (await call(CommuneList, regionId ? `/communes?regionId=${encodeURIComponent(regionId)}` : '/communes')).items,
  createCommune: (input: CommuneCreate) => call(Commune, '/communes', json(input)),
  updateCommune: (id: string, input: CommuneUpdate) => call(Commune, `/communes/${id}`, json(input, 'PATCH')),

  users: async (filter: Partial<Record<keyof UserListQuery, string>> = {}) =>
    (await call(UserList, `/users${userQueryString(filter)}`)).items,
  createUser: (input: UserCreate) => call(User, '/users', json(input)),
  updateUser: (id: string, input: UserUpdate) => call(User, `/users/${id}`, json(input, 'PATCH')),
  resetPassword: (id: string) => call(PasswordReset, `/users/${id}/password-reset`, { method: 'POST' }),
  issueAccessCode: (id: string) => call(AccessCode, `/users/${id}/access-codes`, { method: 'POST' }),
  /** 204: the account signs in with its password alone and enrols again; a recovery to be confirmed. */
  resetSecondFactor: (id: string) => call(z.undefined(), `/users/${id}/second-factor/reset`, { method: 'POST' }),

  taskTypes: async () => (await call(TaskTypeList, '/task-types')).items,
  createTaskType: (input: TaskTypeCreate) => call(TaskType, '/task-types', json(input)),
  updateTaskType: (key: string, input: TaskTypeUpdate) =>
    call(TaskType, `/task-types/${encodeURIComponent(key)}`, json(input, 'PATCH')),
};
