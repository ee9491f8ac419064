import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type App } from './app';
import type { Config } from './config';
import type { Clock } from './core/clock';
import { openDatabase, type Database } from './db/client';
import { seedDemo, seedTaskTypes } from './seed/seed';

export interface Running extends App {
  database: Database;
  url: string;
  /** The demo password, when this start seeded the demo. */
  demoPassword?: string;
  /** Stop accepting, finish the requests under way, then close the database. */
  stop(): Promise<void>;
}

/** Opens the database, migrates it, seeds it when it is empty and allowed, and listens. */
export async function startEntraide(
  config: Config,
  log: Logger,
  options: { database?: Database; clock?: Clock } = {},
): Promise<Running> {
  const database =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      parallelWorkers: config.databaseParallelWorkers,
    }));
  const app = createApp(config, database, log, { clock: options.clock });
  let demoPassword: string | undefined;
  try {
    await database.withStartupLock(async () => {
      await database.migrate();
      await seedTaskTypes(database);
      if (config.seedDemo) demoPassword = await seedDemo(database, app.ctx, log, config.demoPassword);
      // The seed's events are numbered before any instance starts publishing: nobody sees them live.
      await app.sequencer.flush();
      await app.auditSequencer.flush();
      await database.analyze();
    });
    await app.start();
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(config.port, config.host, () => resolve());
    });
    const { metricsServer } = app;
    if (metricsServer) {
      await new Promise<void>((resolve, reject) => {
        metricsServer.once('error', reject);
        metricsServer.listen(config.metricsPort, config.host, () => resolve());
      });
    }
  } catch (err) {
    await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }
  const analyzer = setInterval(
    () => void database.analyze().catch((err: unknown) => log.warn({ err }, 'analyze failed')),
    10 * 60_000,
  );
  analyzer.unref();
  const { port } = app.server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    ...app,
    database,
    url: `http://${host}:${port}`,
    demoPassword,
    async stop() {
      clearInterval(analyzer);
      await app.close();
      await database.close();
    },
  };
}
