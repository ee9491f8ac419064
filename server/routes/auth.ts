import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator } from '../auth/passport';
import { LoginRequest } from '../../shared/schemas';
import { loginThrottles } from '../auth/throttle';
import type { Db } from '../db/client';
import type { Actor } from '../domain/actor';
import { UnauthenticatedError } from '../errors';
import { actorOf, body } from '../http/validate';
import { presentUser } from '../presenters/incident';

export interface AuthHooks {
  /** Called after a logout, with the user and the ended session id (the live board disconnects them). */
  onLogout?: (userId: string, sessionId: string) => void;
}

export function authRouter(db: Db, passport: Authenticator, hooks: AuthHooks = {}): Router {
  const router = Router();

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
