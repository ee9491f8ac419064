import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startEntraide } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`entraide: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  for (const warning of config.warnings) log.warn(warning);
  const running = await startEntraide(config, log);
  log.info({ url: running.url, database: running.database.driver }, 'Entraide is listening');
  if (running.demoPassword) {
    // Printed once, on the start that seeded the demo; it is not stored anywhere in clear.
    process.stdout.write(
      `\n  Entraide demo is ready at ${running.url}\n` +
        `  Sign in as liege.manager, seraing.clerk, liege.coordinator or admin (see README.md)\n` +
        `  Demo password: ${running.demoPassword}${config.demoPassword ? ' (from DEMO_PASSWORD)' : ''}\n\n`,
    );
  } else {
    process.stdout.write(`\n  Entraide is ready at ${running.url}\n\n`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests under way');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    running.stop().then(
      () => {
        log.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `entraide: could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
