import { z } from 'zod';
import { limits } from '../limits';
import { Id } from './common';

export const Role = z.enum(['manager', 'clerk', 'coordinator', 'admin'], { error: 'must be manager, clerk, coordinator or admin' });
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.strictObject({
  username: z.string({ error: 'is required' }).trim().min(1, 'is required').max(limits.usernameMax),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(limits.passwordMax),
}).meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  active: z.boolean(),
  communeId: Id.nullable(),
  communeName: z.string().nullable(),
  regionId: Id.nullable(),
  regionName: z.string().nullable(),
}).meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const LoginResponse = z.object({ user: User }).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;
