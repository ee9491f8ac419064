import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator } from '../auth/passport';
import { AccessCodeLoginRequest, LoginRequest } from '../../shared/schemas';
import { loginThrottles } from '../auth/throttle';
import { signInWithAccessCode } from '../domain/access-codes';
import type { Actor } from '../domain/actor';
import type { DomainContext } from '../domain/context';
import { UnauthenticatedError } from '../errors';
import { actorOf, body } from '../http/validate';
import { presentUser } from '../presenters/incident';

export interface AuthHooks {
  /** Called after a logout, with the user and the ended session id (the live board disconnects them). */
  onLogout?: (userId: string, sessionId: string) => void;
}

export function authRouter(ctx: DomainContext, passport: Authenticator, hooks: AuthHooks = {}): Router {
  const router = Router();
  const { db } = ctx;

  router.post('/auth/login', ...loginThrottles(db), (req: Request, res: Response, next: NextFunction) => {
    body(LoginRequest, req);
    passport.authenticate('local', (err: unknown, user: Actor | false) => {
      if (err) return next(err);
      if (!user) return next(new UnauthenticatedError('Wrong username or password.'));
      // req.logIn regenerates the session id, so a session fixed before login is worthless.
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.json({ user: presentUser(user) });
      });
    })(req, res, next);
  });

  // A one-time access code from the coordinator: signs in and sets a new password. Throttled as logins are.
  router.post('/auth/access-code', ...loginThrottles(db), (req: Request, res: Response, next: NextFunction) => {
    signInWithAccessCode(ctx, body(AccessCodeLoginRequest, req)).then((user) => {
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.json({ user: presentUser(user) });
      });
    }, next);
  });

  router.post('/auth/logout', (req, res, next) => {
    const userId = req.user?.id;
    const sessionId = req.sessionID;
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie('entraide.sid', { path: '/' });
        if (userId) hooks.onLogout?.(userId, sessionId);
        res.status(204).end();
      });
    });
  });

  router.get('/me', (req, res) => {
    res.json(presentUser(actorOf(req)));
  });

  return router;
}
