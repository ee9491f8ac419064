import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { limits } from '../../../shared/limits';
import { TooManyRequestsError } from '../../core/errors';
import type { Db } from '../../db/client';
import { DatabaseThrottleStore } from '../auth/throttle';
import { msg, type Text } from '../../core/messages';

/**
 * Tracking look-ups per address, the API and the page together, counted in the database so that every
 * instance counts the same: a code cannot be guessed (65 bits), and this keeps anyone from trying.
 * Other public look-ups by a secret (a commune's calendar feed) count the same way under their own
 * `prefix`, so that one does not use up the other's allowance.
 */
export function trackingThrottle(
  db: Db,
  prefix = 'track-ip:',
  tooMany: (minutes: number) => Text = (minutes) => msg('too_many_lookups', { minutes }),
): RequestHandler {
  const windowMs = limits.trackingWindowMinutes * 60_000;
  return rateLimit({
    windowMs,
    limit: limits.trackingPerAddress,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new DatabaseThrottleStore(db, prefix),
    handler: ((req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(new TooManyRequestsError(tooMany(Math.ceil(seconds / 60)), seconds));
    }) satisfies Options['handler'],
  });
}

/** Tracking answers are for the citizen alone: no cache keeps them, no search engine lists them. */
export const trackingHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  next();
};
