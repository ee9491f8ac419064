import type { Request, RequestHandler } from 'express';
import type { SessionData } from 'express-session';
import { UnauthenticatedError } from '../core/errors';
import { msg } from '../core/messages';
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
 * A request with `Authorization: Bearer` is not checked: it is authenticated by its token alone and
 * never gets a session (resources/integrations/integration-auth.ts), so another site gains nothing by it.
 */
export function sameOrigin(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    const bearer = /^Bearer\s/i.test(req.get('authorization') ?? '');
    // req.host follows X-Forwarded-Host only when the proxy is trusted (TRUST_PROXY).
    if (!unsafe.has(req.method) || !origin || bearer || isOwnOrigin(origin, [req.host], allowedOrigins)) {
      next();
      return;
    }
    sendProblem(res, 403, msg('cross_site_request'), { code: 'cross_site_request' });
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
    sendProblem(res, 415, csvPaths.includes(req.path) ? msg('send_json_or_csv') : msg('send_json'), {
      code: 'unsupported_media_type',
    });
  };
}

/**
 * The 401 of a request without a (live) session: it says whether the session has expired. A sign-in
 * halfway (its second factor still to come) has not expired: it has not begun.
 */
export function unauthenticated(req: Request): UnauthenticatedError {
  const halfway = (req.session as Partial<SessionData> | undefined)?.secondFactor !== undefined;
  return req.get('cookie')?.includes(SESSION_COOKIE) && !halfway
    ? new UnauthenticatedError(msg('session_expired'), true)
    : new UnauthenticatedError(msg('sign_in_first'));
}

/**
 * Every API path needs a signed-in user unless a public endpoint serves it, unknown paths included;
 * each endpoint checks its own permission again (http/router.ts). A public path may hold parameters
 * (`/public/track/:trackingCode`): each stands for one segment.
 */
export function requireSignedIn(publicPaths: readonly string[]): RequestHandler {
  const patterns = publicPaths.map(
    (p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`),
  );
  return (req, _res, next) => {
    if (req.user || patterns.some((pattern) => pattern.test(req.path))) {
      next();
      return;
    }
    next(unauthenticated(req));
  };
}
