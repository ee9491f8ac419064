import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Problem } from '../../shared/schemas';
import type { Actor } from '../core/actor';
import {
  ClaimCapError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors';
import { msg, preferredLocale, say, type Locale, type Text } from '../core/messages';

const titles: Record<Locale, Record<number, string>> = {
  en: {
    400: 'Bad request',
    401: 'Not signed in',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict',
    413: 'Request too large',
    415: 'Unsupported media type',
    429: 'Too many attempts',
    500: 'Internal error',
    503: 'Service unavailable',
  },
  fr: {
    400: 'Demande incorrecte',
    401: 'Non connecté',
    403: 'Non autorisé',
    404: 'Introuvable',
    409: 'Conflit',
    413: 'Demande trop volumineuse',
    415: 'Type de contenu non pris en charge',
    429: 'Trop de tentatives',
    500: 'Erreur interne',
    503: 'Service indisponible',
  },
};

/**
 * The language of the problems a request gets: the signed-in user's own choice, else the first of
 * ours its Accept-Language prefers, else English (what scripts and integrations have always read).
 */
export function localeFor(user: Actor | undefined, acceptLanguage: string | undefined): Locale {
  return user?.locale ?? preferredLocale(acceptLanguage) ?? 'en';
}

export const localeOf = (req: Request): Locale => localeFor(req.user, req.get('accept-language'));

export function problem(status: number, detail: Text, extra: Partial<Problem> = {}, locale: Locale = 'en'): Problem {
  return {
    type: extra.code ? `https://entraide.example/problems/${extra.code}` : 'about:blank',
    title: titles[locale][status] ?? (locale === 'fr' ? 'Erreur' : 'Error'),
    status,
    detail: say(locale, detail),
    ...extra,
  };
}

/** A problem document in the language of whoever asked (`res.req`). */
export function sendProblem(res: Response, status: number, detail: Text, extra: Partial<Problem> = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, detail, extra, localeOf(res.req))));
}

/** The problem document of a domain error; anything else is an internal error that says nothing. */
export function problemOf(err: unknown, locale: Locale = 'en'): Problem {
  if (!(err instanceof DomainError)) return problem(500, msg('internal'), { code: 'internal' }, locale);
  const extra: Partial<Problem> = { code: err.code };
  if (err instanceof ValidationError && err.errors.length > 0) extra.errors = err.errors;
  if (err instanceof ConflictError && err.current !== undefined) extra.current = err.current;
  if (err instanceof ClaimCapError) Object.assign(extra, { cap: err.cap, active: err.active });
  if (err instanceof UnauthenticatedError && err.expired) extra.expired = true;
  return problem(statusOf(err), err.text, extra, locale);
}

function statusOf(err: DomainError): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof UnauthenticatedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof TooManyRequestsError) return 429;
  return 500;
}

/** body-parser's errors carry a status and a type; they are the client's fault, said plainly. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  limit?: number;
}

/** The last handler: every error becomes a problem document; what is not the client's fault is logged. */
export const errorHandler =
  (log: Logger): ErrorRequestHandler =>
  (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof DomainError) {
      if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      const body = problemOf(err, localeOf(req));
      res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
      if (body.status === 500) log.error({ err, reqId: req.id }, 'domain error without a status');
      return;
    }
    const e = (err ?? {}) as HttpishError;
    const status = e.status ?? e.statusCode;
    if (e.type === 'entity.too.large' || status === 413) {
      sendProblem(res, 413, msg('body_too_large', { kib: e.limit ? Math.round(e.limit / 1024) : undefined }), {
        code: 'body_too_large',
      });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendProblem(res, 400, msg('body_not_json'), { code: 'malformed_body' });
      return;
    }
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || status === 415) {
      sendProblem(res, 415, msg('body_not_utf8'), { code: 'unsupported_media_type' });
      return;
    }
    if (status && status >= 400 && status < 500 && e.expose) {
      sendProblem(res, status, msg('unreadable'), { code: 'bad_request' });
      return;
    }
    log.error({ err, reqId: req.id }, 'unhandled error');
    sendProblem(res, 500, msg('internal_logged'), {
      code: 'internal',
      instance: req.id,
    });
  };

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, msg('no_route', { method: req.method, path: req.originalUrl.split('?')[0] ?? '' }), {
    code: 'no_route',
  });
};
