import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime } from './common';
import { Locale } from './notifications';

export const Role = z.enum(['manager', 'clerk', 'coordinator', 'dpo', 'admin'], {
  error: 'must be manager, clerk, coordinator, dpo or admin',
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

export const RecoveryMethod = z.enum(['access_code', 'password_reset', 'created', 'second_factor_reset']);
export type RecoveryMethod = z.infer<typeof RecoveryMethod>;

/** That someone else gave a way into this account (and who confirmed it, if anyone has): told its owner. */
export const RecoveryNotice = z
  .object({
    method: RecoveryMethod,
    recoveredByName: z.string(),
    recoveredAt: IsoDateTime,
    confirmedByName: z.string().nullable(),
    confirmedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'RecoveryNotice' });
export type RecoveryNotice = z.infer<typeof RecoveryNotice>;

/** The signed-in user, with what they should know about their own account. */
export const Me = User.extend({
  /** Citizen data is withheld until a second person confirms a recovery of this account. */
  citizenBarred: z.boolean(),
  /** The account's latest recovery by someone else, if any. */
  recovery: RecoveryNotice.nullable(),
  /** The language of the user's notifications and e-mails. */
  locale: Locale,
  /** Where their notifications go by e-mail, if anywhere. */
  email: z.string().nullable(),
  /** The account's TOTP second factor: whether it has one, and whether its role requires one. */
  secondFactor: z.object({ enabled: z.boolean(), required: z.boolean() }),
}).meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

/** Signed in: the session cookie is set. */
export const SignedIn = z.object({ user: Me }).meta({ id: 'SignedIn' });
export type SignedIn = z.infer<typeof SignedIn>;

/**
 * The password (or access code) was right and the account has a second factor: the session is not
 * signed in until `POST /auth/second-factor` gets a code.
 */
export const SecondFactorNeeded = z
  .object({ secondFactorRequired: z.literal(true) })
  .meta({ id: 'SecondFactorNeeded' });

export const LoginResponse = z.union([SignedIn, SecondFactorNeeded]).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** A recovery waiting for a second person's confirmation. */
export const PendingRecovery = z
  .object({
    id: Id,
    userId: Id,
    username: z.string(),
    displayName: z.string(),
    role: Role,
    communeId: Id.nullable(),
    method: RecoveryMethod,
    recoveredByName: z.string(),
    recoveredAt: IsoDateTime,
  })
  .meta({ id: 'PendingRecovery' });
export type PendingRecovery = z.infer<typeof PendingRecovery>;
export const PendingRecoveryList = z.object({ items: z.array(PendingRecovery) }).meta({ id: 'PendingRecoveryList' });

/** A code just issued: shown this once, never stored in clear. */
export const AccessCode = z
  .object({
    code: z.string(),
    expiresAt: IsoDateTime,
    user: User,
  })
  .meta({ id: 'AccessCode' });
export type AccessCode = z.infer<typeof AccessCode>;
