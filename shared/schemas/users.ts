import { z } from 'zod';
import { limits } from '../limits';
import { Id, QueryBoolean } from './common';
import { Password, Role, User } from './auth';
import { Email } from './notifications';

const Username = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2 to 64 letters, digits, dots, dashes or underscores');
const DisplayName = z.string({ error: 'is required' }).trim().min(1, 'is required').max(limits.displayNameMax);

export const UserCreate = z
  .strictObject({
    username: Username,
    displayName: DisplayName,
    role: Role,
    password: Password,
    communeId: Id.optional(),
    regionId: Id.optional(),
  })
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z
  .strictObject({
    displayName: DisplayName.optional(),
    password: Password.optional(),
    active: z.boolean({ error: 'must be true or false' }).optional(),
    /** A new role comes with its scope: communeId for a manager or clerk, regionId for a coordinator or DPO. */
    role: Role.optional(),
    communeId: Id.optional(),
    regionId: Id.optional(),
    /** Where the account's notifications go by e-mail; null removes it. */
    email: Email.nullable().optional(),
  })
  .meta({ id: 'UserUpdate' });
export type UserUpdate = z.infer<typeof UserUpdate>;

export const UserList = z.object({ items: z.array(User) }).meta({ id: 'UserList' });
export type UserList = z.infer<typeof UserList>;

export const UserListQuery = z.strictObject({
  role: Role.optional(),
  communeId: Id.optional(),
  /** The accounts of a region: its coordinators and DPOs, and the managers and clerks of its communes. */
  regionId: Id.optional(),
  active: QueryBoolean.optional(),
  /** Part of a username or display name, in any case. */
  q: z.string().trim().max(limits.usernameMax, `must be at most ${limits.usernameMax} characters`).optional(),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

/** A password the admin's reset chose: shown this once, never stored in clear. */
export const PasswordReset = z
  .object({
    password: z.string(),
    user: User,
  })
  .meta({ id: 'PasswordReset' });
export type PasswordReset = z.infer<typeof PasswordReset>;
