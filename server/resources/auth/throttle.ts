import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import { limits } from '../../../shared/limits';
import { TooManyRequestsError } from '../../core/errors';
import type { Db } from '../../db/client';
import { decrementThrottle, incrementThrottle, resetThrottle } from './throttle-repo';
import { msg } from '../../core/messages';

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

/**
 * Whose attempt it is: the username typed, else the one whose second factor is awaited (a sign-in
 * halfway), else the signed-in user's (a code asked to change their factor).
 */
function usernameOf(req: Request): string {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  if (typeof name === 'string') return name.trim().toLowerCase();
  return req.session.secondFactor?.username ?? req.user?.username ?? '';
}

const windowMs = limits.loginWindowMinutes * 60_000;

const common = {
  windowMs,
  skipSuccessfulRequests: true,
  standardHeaders: 'draft-8' as const,
  legacyHeaders: false,
  handler: ((req, _res, next, options) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
    next(new TooManyRequestsError(msg('too_many_sign_ins', { minutes: Math.ceil(seconds / 60) }), seconds));
  }) satisfies Options['handler'],
};

const perUsername = (db: Db) =>
  rateLimit({
    ...common,
    limit: limits.loginFailuresPerUsername,
    store: new DatabaseThrottleStore(db, 'login-user:'),
    keyGenerator: usernameOf,
    skip: (req) => usernameOf(req) === '',
  });

/**
 * Failed logins only count (a success gives its attempt back): 10 per username, 50 per address,
 * within 15 minutes; a wrong second-factor code at sign-in is one too. Past that: 429 with Retry-After.
 */
export function loginThrottles(db: Db): RequestHandler[] {
  return [
    rateLimit({ ...common, limit: limits.loginFailuresPerAddress, store: new DatabaseThrottleStore(db, 'login-ip:') }),
    perUsername(db),
  ];
}

/**
 * A signed-in user's wrong codes (changing their own second factor) count against their username's
 * sign-in attempts: a stolen session cannot try codes beyond what a sign-in could.
 */
export function userThrottle(db: Db): RequestHandler[] {
  return [perUsername(db)];
}
