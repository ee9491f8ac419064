import type { Request, RequestHandler } from 'express';
import type { SessionData } from 'express-session';
import { UnauthenticatedError } from '../core/errors';
import { sendProblem } from './problem';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'entraide.sid';

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a browser's Origin names this site (one of `hosts`, as the request reached us) or one of
 * the allowed origins (ALLOWED_ORIGINS).
 */
export function isOwnOrigin(origin: string, hosts: readonly (string | undefined)[], allowedOrigins: readonly string[]) {
  if (allowedOrigins.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && hosts.includes(host);
}

/**
 * Cross-site request forgery: a state-changing request whose Origin names another site is refused.
 * Clients that send no Origin (curl, scripts) are served; browsers always send it on such requests.
 */
export function sameOrigin(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    // req.host follows X-Forwarded-Host only when the proxy is trusted (TRUST_PROXY).
    if (!unsafe.has(req.method) || !origin || isOwnOrigin(origin, [req.host], allowedOrigins)) {
      next();
      return;
    }
    sendProblem(res, 403, 'This request came from another site and was refused.', { code: 'cross_site_request' });
  };
}

/** State-changing requests take JSON (or CSV where an import is expected), never form posts. */
export function jsonOnly(csvPaths: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const hasBody =
      (req.get('content-length') !== undefined && req.get('content-length') !== '0') ||
      req.get('transfer-encoding') !== undefined;
    if (!unsafe.has(req.method) || !hasBody) {
      next();
      return;
    }
    if (req.is('application/json') || (csvPaths.includes(req.path) && req.is('text/csv'))) {
      next();
      return;
    }
    sendProblem(
      res,
      415,
      csvPaths.includes(req.path)
        ? 'Send this request as application/json or text/csv.'
        : 'Send this request as application/json.',
      { code: 'unsupported_media_type' },
    );
  };
}

/**
 * The 401 of a request without a (live) session: it says whether the session has expired. A sign-in
 * halfway (its second factor still to come) has not expired: it has not begun.
 */
export function unauthenticated(req: Request): UnauthenticatedError {
  const halfway = (req.session as Partial<SessionData> | undefined)?.secondFactor !== undefined;
  return new UnauthenticatedError(
    req.get('cookie')?.includes(SESSION_COOKIE) && !halfway
      ? 'Your session has expired. Please sign in again.'
      : 'Please sign in first.',
  );
}

/**
 * Every API path needs a signed-in user unless a public endpoint serves it, unknown paths included;
 * each endpoint checks its own permission again (http/router.ts).
 */
export function requireSignedIn(publicPaths: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (publicPaths.includes(req.path) || req.user) {
      next();
      return;
    }
    next(unauthenticated(req));
  };
}
