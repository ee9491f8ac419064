import type { Request, RequestHandler, Response } from 'express';
import { limits } from '../../../shared/limits';
import {
  AccessCodeLoginRequest,
  LoginRequest,
  LoginResponse,
  Me,
  SecondFactorProof,
  SignedIn,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { UnauthenticatedError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { endpoint, permission } from '../../http/endpoint';
import { SESSION_COOKIE } from '../../http/guards';
import { signInWithAccessCode } from '../access-codes/access-codes';
import { findActor } from '../accounts/accounts-repo';
import { useProof } from '../second-factor/second-factor';
import { presentMe, signedIn, signedOut, signInRefused } from './auth';
import { loginThrottles } from './throttle';
import { msg } from '../../core/messages';

const tag = 'auth';
const throttled = 'Too many failed attempts; see Retry-After';

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Runs a function that takes a node-style callback (Passport's, the session's) as a promise. */
function called(run: (callback: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    run((err) => {
      if (err) reject(asError(err));
      else resolve();
    });
  });
}

/** The local strategy's verdict on the body's username and password. */
function authenticate(ctx: DomainContext, req: Request, res: Response): Promise<Actor | false> {
  return new Promise((resolve, reject) => {
    const verdict = (err: unknown, user: Actor | false) => {
      if (err) reject(asError(err));
      else resolve(user);
    };
    const middleware = ctx.passport.authenticate('local', verdict) as RequestHandler;
    void middleware(req, res, (err?: unknown) => {
      reject(asError(err));
    });
  });
}

/** Starts the session of `user`; req.logIn gives it a new id, so a session fixed before sign-in is worthless. */
async function startSession(req: Request, user: Actor): Promise<void> {
  await called((done) => {
    req.logIn(user, done);
  });
}

/**
 * The first factor was right. Without a second factor the session is signed in; with one, a new
 * session (a new id, as at sign-in) remembers whose code it waits for, for a few minutes, and is
 * signed in for nothing else until the code comes.
 */
async function firstFactorPassed(
  ctx: DomainContext,
  req: Request,
  user: Actor,
  method: 'password' | 'access_code',
): Promise<LoginResponse> {
  if (!user.secondFactorEnabled) {
    await startSession(req, user);
    return signedIn(ctx, user, method);
  }
  await called((done) => {
    req.session.regenerate(done);
  });
  const until = ctx.clock.now().getTime() + limits.secondFactorStepMinutes * 60_000;
  req.session.secondFactor = { userId: user.id, username: user.username, method, until };
  return { secondFactorRequired: true };
}

const noSignInUnderWay =
  'Sign in with your username and password first (or again: the code is asked within 5 minutes).';

export const authEndpoints = [
  endpoint({
    method: 'post',
    path: '/auth/login',
    tag,
    summary: 'Sign in',
    permission: permission.public('signing in is how one gets a session; failed attempts are throttled'),
    body: LoginRequest,
    before: (ctx) => loginThrottles(ctx.db),
    responses: {
      200: {
        description: 'Signed in (the session cookie is set), or the second factor is asked next',
        schema: LoginResponse,
      },
    },
    problems: { 401: 'Wrong username or password', 429: throttled },
    handle: async ({ ctx, body, req, res }) => {
      const user = await authenticate(ctx, req, res);
      if (!user) {
        await signInRefused(ctx, body.username, 'password');
        throw new UnauthenticatedError(msg('wrong_credentials'));
      }
      return firstFactorPassed(ctx, req, user, 'password');
    },
  }),

  endpoint({
    method: 'post',
    path: '/auth/access-code',
    tag,
    summary: 'Sign in with a one-time access code from the coordinator, and set a new password',
    permission: permission.public('the way back in for someone locked out; wrong codes count as failed sign-ins'),
    body: AccessCodeLoginRequest,
    before: (ctx) => loginThrottles(ctx.db),
    responses: {
      200: {
        description: 'The new password is set: signed in, or the second factor is asked next',
        schema: LoginResponse,
      },
    },
    problems: { 401: 'Wrong username or access code, or the code has expired or been used', 429: throttled },
    handle: async ({ ctx, body, req }) => {
      const user = await signInWithAccessCode(ctx, body).catch(async (err: unknown) => {
        if (err instanceof UnauthenticatedError) await signInRefused(ctx, body.username, 'access_code');
        throw err;
      });
      return firstFactorPassed(ctx, req, user, 'access_code');
    },
  }),

  endpoint({
    method: 'post',
    path: '/auth/second-factor',
    tag,
    summary: 'Complete a sign-in with the code of the authenticator app, or with a recovery code',
    permission: permission.public(
      'the second step of a sign-in whose password was right; wrong codes count as failed sign-ins',
    ),
    body: SecondFactorProof,
    before: (ctx) => loginThrottles(ctx.db),
    responses: { 200: { description: 'Signed in: the session cookie is set', schema: SignedIn } },
    problems: {
      401: 'No sign-in waits for a code, or the code is wrong or was used already',
      429: throttled,
    },
    handle: async ({ ctx, body, req }) => {
      const pending = req.session.secondFactor;
      if (!pending || pending.until < ctx.clock.now().getTime()) throw new UnauthenticatedError(noSignInUnderWay);
      const user = await findActor(ctx.db, pending.userId);
      if (!user?.active) throw new UnauthenticatedError(noSignInUnderWay);
      const outcome = await useProof(ctx, ctx.db, user, body);
      if (outcome === 'wrong' || outcome === 'replayed') {
        await signInRefused(ctx, user.username, 'second_factor', outcome);
        throw new UnauthenticatedError(
          outcome === 'wrong'
            ? body.recoveryCode === undefined
              ? 'Wrong code.'
              : 'This recovery code is wrong or has been used.'
            : 'This code has been used already: wait for the next one.',
        );
      }
      await startSession(req, user);
      return signedIn(ctx, user, pending.method, outcome);
    },
  }),

  endpoint({
    method: 'post',
    path: '/auth/logout',
    tag,
    summary: 'Sign out',
    permission: permission.public('signing out without a session changes nothing'),
    responses: { 204: { description: 'Signed out' } },
    handle: async ({ ctx, req, res }) => {
      const { user } = req;
      const sessionId = req.sessionID;
      await called((done) => {
        req.logout(done);
      });
      await called((done) => req.session.destroy(done));
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      if (user) {
        ctx.hooks.sessionEnded(sessionId);
        await signedOut(ctx, user);
      }
    },
  }),

  endpoint({
    method: 'get',
    path: '/me',
    tag,
    summary: 'The signed-in user',
    permission: permission.signedIn,
    beforeSecondFactor: true,
    responses: { 200: { description: 'The user with role, commune and region', schema: Me } },
    handle: ({ ctx, actor }) => presentMe(ctx, actor),
  }),
];
