import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id: the client's X-Request-Id when it is sane, a fresh UUID otherwise. */
    id: string;
  }
}

const requestIdPattern = /^[\w.:-]{1,64}$/;
/** Probes and scrapes: measured, not logged. */
const quiet = new Set(['/healthz', '/readyz', '/metrics']);

/** The route a request matched, as written in the router (`/api/v1/tasks/:id/claim`), for metrics. */
const routeOf = (req: Request): string =>
  req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : 'unmatched';

/**
 * Per request: an id (answered in X-Request-Id, and in every log line about the request), one
 * access-log line when the answer is sent or the client gives up, and the latency histogram.
 *
 * One listener per request, and nothing serialised unless the line is logged: pino-http, which
 * did this before, built a child logger with the whole request serialised on every request, which
 * cost about a tenth of a claim's CPU time even with logging off (measured with `npm run bench`).
 * The line leaves the query string out (a search can hold a citizen's name) and never holds a header.
 */
export function telemetry(log: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && requestIdPattern.test(given) ? given : crypto.randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const start = performance.now();
    res.once('close', () => {
      const ms = performance.now() - start;
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route: routeOf(req), status: String(status) }, ms / 1000);
      const path = req.originalUrl.split('?', 1)[0] ?? '';
      if (quiet.has(path)) return;
      const finished = res.writableFinished;
      const level = status >= 500 ? 'error' : !finished || status >= 400 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) return;
      const user = (req.user as { id?: string } | undefined)?.id;
      log[level](
        {
          reqId: id,
          method: req.method,
          url: path,
          status,
          responseTime: Math.round(ms * 10) / 10,
          ...(user ? { userId: user } : {}),
        },
        finished ? 'request completed' : 'request aborted by the client',
      );
    });
    next();
  };
}
