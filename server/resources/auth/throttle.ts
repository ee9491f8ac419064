import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import { limits } from '../../../shared/limits';
import { TooManyRequestsError } from '../../core/errors';
import type { Db } from '../../db/client';
import { decrementThrottle, incrementThrottle, resetThrottle } from './throttle-repo';

/** express-rate-limit's counters in our database, so that every instance counts the same attempts. */
export class DatabaseThrottleStore implements Store {
  localKeys = false;
  prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    prefix: string,
  ) {
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string) {
    const row = await incrementThrottle(this.db, this.prefix + key, this.windowMs);
    return { totalHits: row.hits, resetTime: row.resetAt };
  }

  async decrement(key: string) {
    await decrementThrottle(this.db, this.prefix + key);
  }

  async resetKey(key: string) {
    await resetThrottle(this.db, this.prefix + key);
  }
}

function usernameOf(req: Request): string {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
}

/**
 * Failed logins only count (a success gives its attempt back): 10 per username, 50 per address,
 * within 15 minutes. Past that: 429 with Retry-After.
 */
export function loginThrottles(db: Db): RequestHandler[] {
  const windowMs = limits.loginWindowMinutes * 60_000;
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: ((req, _res, next, options) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      next(
        new TooManyRequestsError(
          `Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
          seconds,
        ),
      );
    }) satisfies Options['handler'],
  };
  return [
    rateLimit({ ...common, limit: limits.loginFailuresPerAddress, store: new DatabaseThrottleStore(db, 'login-ip:') }),
    rateLimit({
      ...common,
      limit: limits.loginFailuresPerUsername,
      store: new DatabaseThrottleStore(db, 'login-user:'),
      keyGenerator: usernameOf,
      skip: (req) => usernameOf(req) === '',
    }),
  ];
}
