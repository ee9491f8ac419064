import { RecoveryCodeInput, SecondFactorProof, TotpCode } from './second-factor';

describe('second factor input', () => {
  it('reads a code of the app as typed, with a space in the middle, and nothing but six digits', () => {
    expect(TotpCode.parse('123 456')).toBe('123456');
    expect(TotpCode.safeParse('12345').success).toBe(false);
    expect(TotpCode.safeParse('12345a').success).toBe(false);
    expect(TotpCode.safeParse('1234567').success).toBe(false);
  });

  it('reads a recovery code in any case, with or without its dash', () => {
    expect(RecoveryCodeInput.parse('7kq3m-x9d2p')).toBe('7KQ3MX9D2P');
    expect(RecoveryCodeInput.parse(' 7KQ3M X9D2P ')).toBe('7KQ3MX9D2P');
    expect(RecoveryCodeInput.safeParse('7KQ3M-X9D2').success).toBe(false);
  });

  it('takes either a code or a recovery code, not both, not neither', () => {
    expect(SecondFactorProof.parse({ code: '123456' })).toEqual({ code: '123456' });
    expect(SecondFactorProof.parse({ recoveryCode: '7KQ3M-X9D2P' })).toEqual({ recoveryCode: '7KQ3MX9D2P' });
    expect(SecondFactorProof.safeParse({}).success).toBe(false);
    expect(SecondFactorProof.safeParse({ code: '123456', recoveryCode: '7KQ3M-X9D2P' }).success).toBe(false);
    expect(SecondFactorProof.safeParse({ code: '123456', extra: 1 }).success).toBe(false);
  });
});
