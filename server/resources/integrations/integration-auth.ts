import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { limits } from '../../../shared/limits';
import type { Actor } from '../../core/actor';
import { ForbiddenError, TooManyRequestsError, UnauthenticatedError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { DatabaseThrottleStore } from '../auth/throttle';
import { hashToken, TOKEN_PREFIX } from './integrations';
import { findLiveTokenByHash, touchToken } from './integrations-repo';
import { msg } from '../../core/messages';

/** The same test as the Origin check's (http/guards.ts): whatever skips that check must be a valid token. */
const BEARER = /^Bearer\s/i;

/** The actor a token acts as: its commune's manager, for posting only, reading no citizen data. */
function tokenActor(row: NonNullable<Awaited<ReturnType<typeof findLiveTokenByHash>>>): Actor {
  return {
    id: row.id,
    username: `token:${row.name}`,
    displayName: row.name,
    role: 'manager',
    active: true,
    communeId: row.communeId,
    communeName: row.communeName,
    regionId: row.regionId,
    regionName: row.regionName,
    citizenBarred: true,
    secondFactorEnabled: false,
    integration: { tokenId: row.id, name: row.name },
  };
}

/** `last used` is written at most once a minute per token, not on every post. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Authenticates `Authorization: Bearer <token>` requests, before (and instead of) the session: a token
 * unknown or revoked is a 401; a valid token reaches only `routes` (`METHOD /path`, posting tasks), any
 * other address is a 403. Requests without a bearer token pass untouched to the session.
 */
export function integrationAuth(ctx: DomainContext, routes: readonly string[]): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    if (!BEARER.test(header)) {
      next();
      return;
    }
    // A request that says Bearer is judged by its token alone, never by a session it may also carry.
    const token = header.slice('Bearer'.length).trim();
    const row =
      token.startsWith(TOKEN_PREFIX) && !/\s/.test(token)
        ? await findLiveTokenByHash(ctx.db, hashToken(token))
        : undefined;
    if (!row) {
      next(new UnauthenticatedError(msg('token_invalid')));
      return;
    }
    if (!routes.includes(`${req.method} ${req.path}`)) {
      next(new ForbiddenError(msg('integration_posts_only')));
      return;
    }
    const now = ctx.clock.now();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS)
      await touchToken(ctx.db, row.id, now);
    req.user = tokenActor(row);
    next();
  };
}

/** Posts per token and minute, counted in the database so that every instance counts the same. */
export function integrationThrottle(ctx: DomainContext): RequestHandler {
  const windowMs = 60_000;
  return rateLimit({
    windowMs,
    limit: limits.integrationPostsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new DatabaseThrottleStore(ctx.db, 'token:'),
    skip: (req) => req.user?.integration === undefined,
    keyGenerator: (req) => req.user?.integration?.tokenId ?? '',
    handler: ((req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(new TooManyRequestsError(msg('too_many_token_posts', { seconds }), seconds));
    }) satisfies Options['handler'],
  });
}
