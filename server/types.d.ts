import type { Actor } from './core/actor';

declare global {
  namespace Express {
    // Passport's user is our Actor.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Actor {}
  }
}
