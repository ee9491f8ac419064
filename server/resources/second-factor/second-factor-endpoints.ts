import {
  RecoveryCodes,
  SecondFactorCodeRequest,
  SecondFactorEnrolment,
  SecondFactorProof,
  SecondFactorStatus,
} from '../../../shared/schemas';
import { isAdmin } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { UserParams } from '../accounts/accounts-endpoints';
import { userThrottle } from '../auth/throttle';
import {
  beginEnrolment,
  confirmEnrolment,
  disableSecondFactor,
  regenerateRecoveryCodes,
  resetSecondFactor,
  secondFactorStatus,
} from './second-factor';
import { msg } from '../../core/messages';

const tag = 'second factor';
const throttled = 'Too many wrong codes; see Retry-After';

/** One's own second factor: anyone signed in, including who must enrol one before anything else. */
export const secondFactorEndpoints = [
  endpoint({
    method: 'get',
    path: '/me/second-factor',
    tag,
    summary: 'Where my second factor stands: enabled, required, recovery codes left',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    responses: { 200: { description: 'My second factor', schema: SecondFactorStatus } },
    handle: ({ ctx, actor }) => secondFactorStatus(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/me/second-factor/enrolment',
    tag,
    summary: 'Begin enrolling an authenticator app: a new secret, as a QR code and as text (shown once)',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    responses: { 200: { description: 'The secret for the app', schema: SecondFactorEnrolment } },
    problems: { 409: 'A second factor is enabled already: turn it off first' },
    handle: ({ ctx, actor }) => beginEnrolment(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/me/second-factor/confirm',
    tag,
    summary: 'Turn the second factor on with a code of the app; answers ten recovery codes, shown once',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    body: SecondFactorCodeRequest,
    before: (ctx) => userThrottle(ctx.db),
    responses: { 200: { description: 'On; the recovery codes', schema: RecoveryCodes } },
    problems: { 409: 'No enrolment was begun, or a second factor is enabled already', 429: throttled },
    handle: ({ ctx, actor, body }) => confirmEnrolment(ctx, actor, body.code),
  }),

  endpoint({
    method: 'post',
    path: '/me/second-factor/disable',
    tag,
    summary: 'Turn my second factor off, with a current code or a recovery code',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    body: SecondFactorProof,
    before: (ctx) => userThrottle(ctx.db),
    responses: { 204: { description: 'Off: its secret and recovery codes are gone' } },
    problems: { 409: 'No second factor is enabled', 429: throttled },
    handle: ({ ctx, actor, body }) => disableSecondFactor(ctx, actor, body),
  }),

  endpoint({
    method: 'post',
    path: '/me/second-factor/recovery-codes',
    tag,
    summary: 'Ten new recovery codes (shown once) in place of the old ones, with a current code',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    body: SecondFactorCodeRequest,
    before: (ctx) => userThrottle(ctx.db),
    responses: { 200: { description: 'The new recovery codes', schema: RecoveryCodes } },
    problems: { 409: 'No second factor is enabled', 429: throttled },
    handle: ({ ctx, actor, body }) => regenerateRecoveryCodes(ctx, actor, body.code),
  }),

  endpoint({
    method: 'post',
    path: '/users/:id/second-factor/reset',
    tag,
    summary:
      'Take away the second factor of someone who lost it (admin); a recovery, confirmed by a second person before citizen data',
    permission: permission.policy(isAdmin, msg('only_admin_resets_second_factor')),
    params: UserParams,
    responses: { 204: { description: 'Reset: they sign in with their password and enrol again' } },
    problems: { 409: 'The account has no second factor' },
    handle: ({ ctx, actor, params }) => resetSecondFactor(ctx, actor, params.id),
  }),
];
