import type { Request, RequestHandler, Response } from 'express';
import { AccessCodeLoginRequest, LoginRequest, LoginResponse, Me } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { UnauthenticatedError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { endpoint, permission } from '../../http/endpoint';
import { SESSION_COOKIE } from '../../http/guards';
import { signInWithAccessCode } from '../access-codes/access-codes';
import { presentMe, signedIn, signedOut, signInRefused } from './auth';
import { loginThrottles } from './throttle';

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

export const authEndpoints = [
  endpoint({
    method: 'post',
    path: '/auth/login',
    tag,
    summary: 'Sign in',
    permission: permission.public('signing in is how one gets a session; failed attempts are throttled'),
    body: LoginRequest,
    before: (ctx) => loginThrottles(ctx.db),
    responses: { 200: { description: 'Signed in: the session cookie is set', schema: LoginResponse } },
    problems: { 401: 'Wrong username or password', 429: throttled },
    handle: async ({ ctx, body, req, res }) => {
      const user = await authenticate(ctx, req, res);
      if (!user) {
        await signInRefused(ctx, body.username, 'password');
        throw new UnauthenticatedError('Wrong username or password.');
      }
      await startSession(req, user);
      return signedIn(ctx, user, 'password');
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
    responses: { 200: { description: 'Signed in with the new password', schema: LoginResponse } },
    problems: { 401: 'Wrong username or access code, or the code has expired or been used', 429: throttled },
    handle: async ({ ctx, body, req }) => {
      const user = await signInWithAccessCode(ctx, body).catch(async (err: unknown) => {
        if (err instanceof UnauthenticatedError) await signInRefused(ctx, body.username, 'access_code');
        throw err;
      });
      await startSession(req, user);
      return signedIn(ctx, user, 'access_code');
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
    responses: { 200: { description: 'The user with role, commune and region', schema: Me } },
    handle: ({ ctx, actor }) => presentMe(ctx, actor),
  }),
];
