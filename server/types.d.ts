import type { Actor } from './core/actor';

declare global {
  namespace Express {
    // Passport's user is our Actor.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /**
     * A sign-in halfway: the password (or access code) was right, the second factor is still to
     * come (POST /auth/second-factor). The session is not signed in meanwhile.
     */
    secondFactor?: { userId: string; username: string; method: 'password' | 'access_code'; until: number };
  }
}
