import { z } from 'zod';
import { IsoDateTime } from './common';

/** A code of the authenticator app as people type it: six digits, spaces allowed ("123 456"). */
export const TotpCode = z
  .string({ error: 'is required' })
  .max(20, 'must be the 6 digits shown by your authenticator app')
  .transform((raw) => raw.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6 digits shown by your authenticator app'));

/** A recovery code as people type it: letters and digits, any case, with or without the dash. */
export const RecoveryCodeInput = z
  .string({ error: 'is required' })
  .max(40, 'is not a recovery code')
  .transform((raw) => raw.toUpperCase().replace(/[^A-Z0-9]/g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10 letters and digits of a recovery code, e.g. 7KQ3M-X9D2P'));

/** A change to one's own second factor, proved with a current code. */
export const SecondFactorCodeRequest = z.strictObject({ code: TotpCode }).meta({ id: 'SecondFactorCodeRequest' });
export type SecondFactorCodeRequest = z.infer<typeof SecondFactorCodeRequest>;

/** The second step of a sign-in, or turning the factor off: a current code, or one of the recovery codes. */
export const SecondFactorProof = z
  .strictObject({ code: TotpCode.optional(), recoveryCode: RecoveryCodeInput.optional() })
  .refine((p) => (p.code === undefined) !== (p.recoveryCode === undefined), {
    error: 'give either the code of your authenticator app or a recovery code',
    path: ['code'],
  })
  .meta({ id: 'SecondFactorProof' });
export type SecondFactorProof = z.infer<typeof SecondFactorProof>;

/** Where one's second factor stands. */
export const SecondFactorStatus = z
  .object({
    enabled: z.boolean(),
    enrolledAt: IsoDateTime.nullable(),
    /** The role requires one (REQUIRE_SECOND_FACTOR): nothing but enrolment works without it. */
    required: z.boolean(),
    recoveryCodesLeft: z.number().int(),
  })
  .meta({ id: 'SecondFactorStatus' });
export type SecondFactorStatus = z.infer<typeof SecondFactorStatus>;

/** An enrolment begun: the secret, for the app, as a QR code and as text. Shown this once. */
export const SecondFactorEnrolment = z
  .object({
    otpauthUrl: z.string(),
    /** The otpauth URL as a QR code, an SVG image made by the server. */
    qrSvg: z.string(),
    /** The secret in base32, for typing into an app by hand. */
    secret: z.string(),
  })
  .meta({ id: 'SecondFactorEnrolment' });
export type SecondFactorEnrolment = z.infer<typeof SecondFactorEnrolment>;

/** Recovery codes just made: shown this once, only their hashes kept; each works once. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;
