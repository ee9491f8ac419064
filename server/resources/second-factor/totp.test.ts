import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import {
  enrolmentOf,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
  RECOVERY_CODE_COUNT,
  stepOfCode,
  totpCodeAt,
} from './totp';

describe('TOTP', () => {
  // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", its codes cut to 6 digits.
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('gives the codes of RFC 6238', () => {
    expect(totpCodeAt(rfcSecret, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(rfcSecret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCodeAt(rfcSecret, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the code of the step, and of one step either side, and says which step it is', () => {
    const at = new Date(1_111_111_109_000);
    const step = Math.floor(at.getTime() / 30_000);
    expect(stepOfCode(rfcSecret, totpCodeAt(rfcSecret, at), at)).toBe(step);
    expect(stepOfCode(rfcSecret, totpCodeAt(rfcSecret, new Date(at.getTime() - 30_000)), at)).toBe(step - 1);
    expect(stepOfCode(rfcSecret, totpCodeAt(rfcSecret, new Date(at.getTime() + 30_000)), at)).toBe(step + 1);
    expect(stepOfCode(rfcSecret, totpCodeAt(rfcSecret, new Date(at.getTime() - 90_000)), at)).toBeNull();
    expect(stepOfCode(rfcSecret, '000000', new Date(59_000))).toBeNull();
  });

  it('makes a 160-bit secret and an otpauth URL with a QR code of it', async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const enrolment = await enrolmentOf(secret, 'liege.coordinator');
    expect(enrolment.otpauthUrl).toBe(
      `otpauth://totp/Entraide:liege.coordinator?issuer=Entraide&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    const now = new Date();
    expect(stepOfCode(newTotpSecret(), totpCodeAt(secret, now), now)).toBeNull();
    expect(TOTP.validate({ token: totpCodeAt(secret, now), secret: Secret.fromBase32(secret) })).toBe(0);
    expect(enrolment.qrSvg).toMatch(/^<svg[^>]*viewBox/);
  });

  it('makes ten different recovery codes and keeps only an HMAC bound to the account', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const key = crypto.randomBytes(32);
    const hash = recoveryCodeHash(key, 'user-1', 'ABC01-23XYZ');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeHash(key, 'user-1', 'abco1 23xyz')).toBe(hash);
    expect(recoveryCodeHash(key, 'user-2', 'ABC01-23XYZ')).not.toBe(hash);
    expect(recoveryCodeHash(crypto.randomBytes(32), 'user-1', 'ABC01-23XYZ')).not.toBe(hash);
  });
});
