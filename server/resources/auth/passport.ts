import type { Request } from 'express';
import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Actor } from '../../core/actor';
import type { Authenticator } from '../../context';
import type { Db } from '../../db/client';
import { findActor, findUserByUsername } from '../accounts/accounts-repo';
import { burnPasswordCheck, verifyPassword } from './passwords';
import type { DatabaseSessionStore } from './session-store';

export function createPassport(db: Db, store: DatabaseSessionStore): Authenticator {
  const passport = new passportModule.Authenticator();
  passport.use(
    new LocalStrategy({ usernameField: 'username', passwordField: 'password' }, (username, password, done) => {
      (async () => {
        const user = await findUserByUsername(db, username.trim().toLowerCase());
        if (!user) {
          await burnPasswordCheck(password);
          done(null, false);
          return;
        }
        if (!(await verifyPassword(password, user.passwordHash)) || !user.active) {
          done(null, false);
          return;
        }
        done(null, await findActor(db, user.id));
      })().catch(done);
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  // A deactivated or deleted account loses its session on its next request.
  passport.deserializeUser((req: Request, id: string, done: (err: unknown, user?: Actor | false) => void) => {
    // Usually read along with the session by the store; looked up on its own otherwise.
    const known = store.takeActor(req.sessionID);
    if (known && known.id === id) {
      done(null, known.active ? known : false);
      return;
    }
    findActor(db, id).then((actor) => done(null, actor?.active ? actor : false), done);
  });
  return passport;
}
