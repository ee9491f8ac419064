import { z } from 'zod';
import {
  RecoveryCodes,
  SecondFactorEnrolment,
  SecondFactorStatus,
  SignedIn,
  type SecondFactorProof,
} from '../../../shared/schemas';
import { call, json } from './client';

/** The second factor: the second step of a sign-in, and one's own enrolment (#/security). */
export const secondFactorApi = {
  /** Completes a sign-in whose password was right, with a code of the app or a recovery code. */
  signIn: (proof: SecondFactorProof) => call(SignedIn, '/auth/second-factor', json(proof)),
  status: () => call(SecondFactorStatus, '/me/second-factor'),
  begin: () => call(SecondFactorEnrolment, '/me/second-factor/enrolment', { method: 'POST' }),
  confirm: (code: string) => call(RecoveryCodes, '/me/second-factor/confirm', json({ code })),
  disable: async (proof: SecondFactorProof) => {
    await call(z.undefined(), '/me/second-factor/disable', json(proof));
  },
  regenerate: (code: string) => call(RecoveryCodes, '/me/second-factor/recovery-codes', json({ code })),
};
