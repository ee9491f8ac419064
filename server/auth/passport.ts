import passportModule from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../db/client';
import { findActor, findUserByUsername } from '../db/users-repo';
import { burnPasswordCheck, verifyPassword } from './passwords';

/** One Passport instance per app, so that several apps in one process (tests) do not share state. */
export type Authenticator = InstanceType<typeof passportModule.Authenticator>;

export function createPassport(db: Db): Authenticator {
  const passport = new passportModule.Authenticator();
  passport.use(new LocalStrategy({ usernameField: 'username', passwordField: 'password' }, (username, password, done) => {
    (async () => {
      const user = await findUserByUsername(db, username.trim().toLowerCase());
      if (!user) {
        await burnPasswordCheck(password);
        return done(null, false);
      }
      if (!(await verifyPassword(password, user.passwordHash)) || !user.active) return done(null, false);
      return done(null, await findActor(db, user.id));
    })().catch(done);
  }));
  passport.serializeUser((user, done) => done(null, user.id));
  // A deactivated or deleted account loses its session on its next request.
  passport.deserializeUser((id: string, done) => {
    findActor(db, id).then((actor) => done(null, actor?.active ? actor : false), done);
  });
  return passport;
}
