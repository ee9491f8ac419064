import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import type { Config } from './config';
import { systemClock, type Clock } from './core/clock';
import { Scheduler } from './jobs/scheduler';
import { retentionJob } from './resources/data-protection/data-protection';
import { claimRemindersJob, staleClaimsJob } from './resources/tasks/unstarted-claims';
import { overdueEscalationsJob } from './resources/tasks/overdue-escalations';
import { drillEndsJob } from './resources/drills/drills';
import { transferTimeoutsJob } from './resources/transfers/transfer-timeouts';
import type { DomainContext, SessionHooks } from './context';
import { sequenceAuditPending } from './db/audit';
import type { Database } from './db/client';
import { sequencePending, type SequencedEvent } from './db/events';
import type { AuditRow } from './db/schema';
import { jsonOnly, requireSignedIn, sameOrigin, SESSION_COOKIE } from './http/guards';
import { buildOpenApiDocument } from './http/openapi';
import { msg } from './core/messages';
import { errorHandler, notFoundHandler, sendProblem } from './http/problem';
import { bodyParsers, buildRouter, csvPaths, integrationRoutes, publicPaths } from './http/router';
import { telemetry } from './http/telemetry';
import { createMetrics, createMetricsServer, metricsEndpoint, type Metrics } from './metrics';
import { Sequencer } from './realtime/sequencer';
import { attachRealtime, type Realtime } from './realtime/socket-server';
import { smtpMailer } from './resources/notifications/mailer';
import { Notifier } from './resources/notifications/notifier';
import { deliveryJob } from './resources/webhooks/deliveries';
import { createPassport } from './resources/auth/passport';
import { DatabaseSessionStore } from './resources/auth/session-store';
import { liveSessionIds, SESSIONS_CHANNEL } from './resources/auth/sessions-repo';
import { changesSince } from './resources/changes/changes';
import { presentChange } from './resources/changes/changes-presenter';
import { loadsOfRegion } from './resources/communes/communes';
import { canSeeTask } from './resources/tasks/tasks';
import { endpoints } from './resources';
import { integrationAuth, integrationThrottle } from './resources/integrations/integration-auth';
import { trackingPageErrors, trackingPages } from './resources/tracking/tracking-page';

export interface App {
  app: express.Express;
  server: http.Server;
  /** The metrics' own server, when METRICS_PORT is set: server.ts listens on it. */
  metricsServer?: http.Server;
  ctx: DomainContext;
  sequencer: Sequencer<SequencedEvent>;
  auditSequencer: Sequencer<AuditRow>;
  /** Runs the scheduled jobs (retention…), each once across instances. */
  scheduler: Scheduler;
  /** Fans numbered task events out into notifications, e-mails and webhook calls. */
  notifier: Notifier;
  metrics: Metrics;
  sessionMiddleware: express.RequestHandler;
  realtime: Realtime;
  /** Numbering and publishing events, and hearing of session changes: once the tables exist. */
  start(): Promise<void>;
  /** Set when shutdown begins: /readyz answers 503 so the proxy stops sending traffic. */
  draining: { value: boolean };
  close(): Promise<void>;
}

export interface AppOptions {
  /** The time of the rules that wait: the system's unless a test brings its own. */
  clock?: Clock;
}

export function createApp(config: Config, database: Database, log: Logger, options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock;
  const sequencer = new Sequencer(database.db, log, sequencePending);
  const auditSequencer = new Sequencer(database.db, log, sequenceAuditPending);
  const metrics = createMetrics();
  const draining = { value: false };
  const store = new DatabaseSessionStore(database.db, config.sessionTtlMs, config.sessionCacheMs, config.sessionMaxMs);
  const passport = createPassport(database.db, store);
  // A logout or a deactivation ends the live board's connections too (`live` is attached below,
  // before any request can end a session).
  const hooks: SessionHooks = {
    sessionEnded: (sessionId) => {
      live.disconnectSession(sessionId);
    },
    accountChanged: (userId, sessionsEnded) => {
      store.forgetUser(userId);
      if (sessionsEnded) live.disconnectUser(userId);
    },
  };
  const ctx: DomainContext = {
    db: database.db,
    dataKey: config.dataKey,
    sequencer,
    auditSequencer,
    metrics,
    passport,
    hooks,
    clock,
    citizenRetentionDays: config.citizenRetentionDays,
    webhooks: { allowPrivate: config.webhookAllowPrivate, selfHosts: selfHostsOf(config) },
    requireSecondFactor: config.requireSecondFactor,
  };
  // Task events fan out into inboxes, e-mails and webhook calls as soon as they are numbered here;
  // the scheduled job catches up what another instance's crash left.
  const notifier = new Notifier(database.db, clock, log, { email: config.smtpUrl !== undefined }, (created) => {
    live.notify(created);
  });
  sequencer.onEvents(() => {
    notifier.kick();
  });
  const deliveries = deliveryJob({
    db: database.db,
    clock,
    log,
    dataKey: config.dataKey,
    allowPrivate: config.webhookAllowPrivate,
    selfHosts: selfHostsOf(config),
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined,
    publicUrl: config.publicUrl,
  });
  // A job's events go out to the board at once; its audit entries are numbered by the next sweep.
  const scheduler = new Scheduler(
    database.db,
    clock,
    log,
    [
      retentionJob(ctx),
      staleClaimsJob(),
      claimRemindersJob(),
      transferTimeoutsJob(),
      overdueEscalationsJob(),
      drillEndsJob(),
      notifier.job(),
      deliveries,
    ],
    () => {
      sequencer.kick();
    },
  );

  const app = express();
  app.disable('x-powered-by');
  app.set(
    'trust proxy',
    config.trustProxy === 'false' ? false : config.trustProxy === 'true' ? true : config.trustProxy,
  );
  app.set('query parser', 'simple');

  app.use(telemetry(log, metrics));
  app.use((_req, res, next) => {
    if (draining.value) res.setHeader('Connection', 'close');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
      strictTransportSecurity: config.env === 'production',
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (draining.value) {
      sendProblem(res, 503, msg('draining'), { code: 'draining' });
      return;
    }
    try {
      await database.ping();
      res.json({ status: 'ready', database: database.driver });
    } catch {
      sendProblem(res, 503, msg('database_unavailable'), { code: 'database_unavailable' });
    }
  });
  app.get('/metrics', metricsEndpoint(metrics, config.metricsToken));

  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionTtlMs, path: '/' },
  });

  const openapi = buildOpenApiDocument(endpoints);
  const api = express.Router();
  api.use(sameOrigin(config.allowedOrigins));
  // An answer can carry citizen data: no browser, proxy or borrowed laptop keeps a copy.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(jsonOnly(csvPaths(endpoints)));
  api.use(bodyParsers(endpoints));
  // An integration's API token stands instead of a session: such a request gets no session at all.
  api.use(integrationAuth(ctx, integrationRoutes(endpoints)), integrationThrottle(ctx));
  const bySession =
    (handler: express.RequestHandler): express.RequestHandler =>
    (req, res, next) => {
      if (req.user?.integration) next();
      else handler(req, res, next);
    };
  // passport.session() sets up req.login and friends itself; passport.initialize() would only add
  // compatibility properties for passport 0.4 strategies, on every request.
  api.use(bySession(sessionMiddleware), bySession(passport.session() as express.RequestHandler));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Entraide API' }));
  api.use(requireSignedIn(publicPaths(endpoints)));
  api.use(buildRouter(endpoints, ctx));
  api.use(notFoundHandler);
  app.use('/api/v1', api);
  // The citizen's tracking page (/suivi/:code, /track/:code): server-rendered, no sign-in, no script.
  app.use(trackingPages(ctx), trackingPageErrors);

  const clientDir = [
    // From server/ when run from the sources (tsx)…
    path.resolve(__dirname, '../client/dist'),
    path.resolve(__dirname, '../client/placeholder'),
    // …and from dist/server/ when compiled (npm start, the Docker image).
    path.resolve(__dirname, '../../client/dist'),
    path.resolve(__dirname, '../../client/placeholder'),
  ].find((d) => fs.existsSync(path.join(d, 'index.html')));
  if (clientDir) {
    // Source maps help in development; in production they would hand out the client's sources.
    if (config.env === 'production') {
      app.use((req, res, next) => {
        if (req.path.endsWith('.map')) notFoundHandler(req, res, next);
        else next();
      });
    }
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(log));

  const server = http.createServer(app);
  const metricsServer = config.metricsPort === undefined ? undefined : createMetricsServer(metrics);
  // Slow-loris protection without cutting a long CSV upload short.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  // A browser's connection stays open between the board's count reads on the half-minutes, so a
  // region's boards ask on open connections and share one query (server/core/coalesced.ts): Node
  // was seen to accept new connections one per turn of its event loop, and on PGlite each turn holds
  // a query (docs/decisions.md, "Many watchers").
  // Longer than the 60 s idle timeout of the usual load balancers, as theirs must be the shorter.
  server.keepAliveTimeout = 65_000;

  let unlistenSessions: (() => Promise<void>) | undefined;

  const live = attachRealtime({
    server,
    sessionMiddleware,
    passport,
    db: database.db,
    sequencer,
    log,
    pool: database.pool,
    listen: (channel, onNotify, onError) => database.listen(channel, onNotify, onError),
    allowedOrigins: config.allowedOrigins,
    requireSecondFactor: config.requireSecondFactor,
    liveSessions: (sids) => liveSessionIds(database.db, sids, config.sessionMaxMs),
    board: {
      sync: (actor, since, limit) => changesSince(ctx, actor, since, limit),
      loads: (regionId) => loadsOfRegion(ctx, regionId),
      present: presentChange,
      canSee: (actor, taskId) => canSeeTask(ctx, actor, taskId),
    },
  });

  return {
    app,
    server,
    metricsServer,
    ctx,
    sequencer,
    auditSequencer,
    scheduler,
    notifier,
    metrics,
    sessionMiddleware,
    draining,
    realtime: live,
    async start() {
      sequencer.start();
      auditSequencer.start();
      if (config.jobsCheckMs > 0) scheduler.start(config.jobsCheckMs);
      await live.start();
      unlistenSessions = await database.listen(
        SESSIONS_CHANNEL,
        (payload) => store.forget(payload),
        (err) => {
          // Changes may go unheard until the connection is back: forget everything rather than trust it.
          store.forgetAll();
          log.warn({ err }, 'session notifications interrupted');
        },
      );
    },
    async close() {
      draining.value = true;
      await scheduler.stop();
      await live.close();
      // Requests under way finish; a keep-alive connection is closed as soon as it falls idle.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(sweep);
      if (metricsServer?.listening) {
        await new Promise<void>((resolve) => {
          metricsServer.close(() => resolve());
          metricsServer.closeAllConnections();
        });
      }
      await sequencer.stop();
      await notifier.idle();
      await auditSequencer.stop();
      await unlistenSessions?.();
      store.close();
    },
  };
}

/** The hosts that are this server: a webhook pointing at one of them is refused. */
function selfHostsOf(config: Config): string[] {
  const origins = [...config.allowedOrigins, ...(config.publicUrl ? [config.publicUrl] : [])];
  return origins.flatMap((o) => {
    try {
      return [new URL(o).host];
    } catch {
      return [];
    }
  });
}
