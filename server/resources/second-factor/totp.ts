import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;
const ISSUER = 'Entraide';

function totpOf(secretBase32: string, username = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
  });
}

/** A new secret of 160 bits (RFC 4226's recommendation), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** What an app needs to enrol: the otpauth URL, as text and as an SVG QR code drawn here. */
export async function enrolmentOf(secretBase32: string, username: string) {
  const otpauthUrl = totpOf(secretBase32, username).toString();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUrl, qrSvg, secret: secretBase32 };
}

/**
 * The time step `code` belongs to, if it is the code of the step of `at` or of one step either side
 * (a clock a little off, a code typed as it turned); null when it is not a current code. The caller
 * accepts a step only if it is later than the last one accepted, so that a code is good once.
 */
export function stepOfCode(secretBase32: string, code: string, at: Date): number | null {
  const totp = totpOf(secretBase32);
  const timestamp = at.getTime();
  const delta = totp.validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 10;

/** Crockford's base 32: no I, L, O or U to misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten recovery codes of 50 random bits each, printed as `XXXXX-XXXXX`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET.charAt(crypto.randomInt(ALPHABET.length))).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * What is kept of a recovery code: an HMAC under a key derived from DATA_KEY, bound to its account.
 * The code as typed is read as Crockford's base 32 reads it (O as 0, I and L as 1).
 */
export function recoveryCodeHash(key: Buffer, userId: string, code: string): string {
  const normalised = code
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return crypto.createHmac('sha256', key).update(`${userId}:${normalised}`).digest('hex');
}

/** A code of `secretBase32` at `at`: for the tests and the demo, as an app would show it. */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpOf(secretBase32).generate({ timestamp: at.getTime() });
}
