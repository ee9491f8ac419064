import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
