import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime } from './common';

export const Role = z.enum(['manager', 'clerk', 'coordinator', 'admin'], {
  error: 'must be manager, clerk, coordinator or admin',
});
export type Role = z.infer<typeof Role>;

export const LoginRequest = z
  .strictObject({
    username: z.string({ error: 'is required' }).trim().min(1, 'is required').max(limits.usernameMax),
    password: z.string({ error: 'is required' }).min(1, 'is required').max(limits.passwordMax),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** A password someone chooses: long enough to resist guessing. */
export const Password = z
  .string({ error: 'is required' })
  .min(limits.passwordMin, `must be at least ${limits.passwordMin} characters`)
  .max(limits.passwordMax, `must be at most ${limits.passwordMax} characters`);

/**
 * A one-time access code as people type it: letters and digits, in any case, with or without the
 * dashes or spaces it is printed with.
 */
export const AccessCodeInput = z
  .string({ error: 'is required' })
  .max(40, 'is not an access code')
  .transform((raw) => raw.toUpperCase().replace(/[^A-Z0-9]/g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{12}$/, 'must be the 12 letters and digits of the code, e.g. K7QM-4XDP-A2RN'));

/** Signing in with a one-time access code, which also sets a new password. */
export const AccessCodeLoginRequest = z
  .strictObject({
    username: z.string({ error: 'is required' }).trim().min(1, 'is required').max(limits.usernameMax),
    code: AccessCodeInput,
    newPassword: Password,
  })
  .meta({ id: 'AccessCodeLoginRequest' });
export type AccessCodeLoginRequest = z.infer<typeof AccessCodeLoginRequest>;

export const User = z
  .object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    role: Role,
    active: z.boolean(),
    communeId: Id.nullable(),
    communeName: z.string().nullable(),
    regionId: Id.nullable(),
    regionName: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const LoginResponse = z.object({ user: User }).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** A code just issued: shown this once, never stored in clear. */
export const AccessCode = z
  .object({
    code: z.string(),
    expiresAt: IsoDateTime,
    user: User,
  })
  .meta({ id: 'AccessCode' });
export type AccessCode = z.infer<typeof AccessCode>;
