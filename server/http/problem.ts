import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Problem } from '../../shared/schemas';
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

const titles: Record<number, string> = {
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
};

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: extra.code ? `https://entraide.example/problems/${extra.code}` : 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
}

export function sendProblem(res: Response, status: number, detail: string, extra: Partial<Problem> = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, detail, extra)));
}

/** The problem document of a domain error; anything else is an internal error that says nothing. */
export function problemOf(err: unknown): Problem {
  if (!(err instanceof DomainError)) return problem(500, 'Something went wrong on our side.', { code: 'internal' });
  const extra: Partial<Problem> = { code: err.code };
  if (err instanceof ValidationError && err.errors.length > 0) extra.errors = err.errors;
  if (err instanceof ConflictError && err.current !== undefined) extra.current = err.current;
  if (err instanceof ClaimCapError) Object.assign(extra, { cap: err.cap, active: err.active });
  return problem(statusOf(err), err.message, extra);
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
      const body = problemOf(err);
      res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
      if (body.status === 500) log.error({ err, reqId: req.id }, 'domain error without a status');
      return;
    }
    const e = (err ?? {}) as HttpishError;
    const status = e.status ?? e.statusCode;
    if (e.type === 'entity.too.large' || status === 413) {
      sendProblem(
        res,
        413,
        `The request body is larger than this endpoint accepts${e.limit ? ` (${Math.round(e.limit / 1024)} KiB)` : ''}.`,
        { code: 'body_too_large' },
      );
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendProblem(res, 400, 'The request body is not valid JSON.', { code: 'malformed_body' });
      return;
    }
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || status === 415) {
      sendProblem(res, 415, 'The request body must be UTF-8 JSON.', { code: 'unsupported_media_type' });
      return;
    }
    if (status && status >= 400 && status < 500 && e.expose) {
      sendProblem(res, status, 'The request could not be read.', { code: 'bad_request' });
      return;
    }
    log.error({ err, reqId: req.id }, 'unhandled error');
    sendProblem(res, 500, 'Something went wrong on our side. The team has the details under this request id.', {
      code: 'internal',
      instance: req.id,
    });
  };

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, `There is no ${req.method} ${req.originalUrl.split('?')[0]} in this API.`, {
    code: 'no_route',
  });
};
