import crypto from 'node:crypto';
import http from 'node:http';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sendProblem } from './http/problem';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  claims: Counter;
  claimConflicts: Counter;
  claimBatchSize: Histogram;
  claimBatchSplits: Counter;
}

/** A registry per app, so that several apps in one process (the tests) keep their own counts. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'entraide_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    claims: new Counter({ name: 'entraide_claims_total', help: 'Successful task claims', registers: [registry] }),
    claimConflicts: new Counter({
      name: 'entraide_claim_conflicts_total',
      help: 'Claims refused because another commune held the task already',
      registers: [registry],
    }),
    claimBatchSize: new Histogram({
      name: 'entraide_claim_batch_size',
      help: 'Claims per claim statement: the claims that arrived together are run as one',
      buckets: [1, 2, 4, 8, 16, 32, 64, 100],
      registers: [registry],
    }),
    claimBatchSplits: new Counter({
      name: 'entraide_claim_batch_splits_total',
      help: 'Claim statements rolled back by a deadlock with another transaction, whose claims then ran one by one',
      registers: [registry],
    }),
  };
}

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * /metrics on the app's port: only to a caller with the bearer token (METRICS_TOKEN); with no token
 * set, to nobody (a separate METRICS_PORT serves them then). Express matches /metrics/ and /METRICS
 * to the same route, so no spelling gets around it.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (!token || !bearerMatches(req.get('authorization'), token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      sendProblem(res, 401, 'Metrics are served with the bearer token of METRICS_TOKEN, or on METRICS_PORT.', {
        code: 'unauthenticated',
      });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** The metrics alone, on a port of their own (METRICS_PORT), for Prometheus on the internal network. */
export function createMetricsServer(metrics: Metrics): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0]?.replace(/\/$/, '').toLowerCase() !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
}
