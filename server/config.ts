import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { limits } from '../shared/limits';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  DATABASE_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_KEY: z.string().optional(),
  DEMO_PASSWORD: z.string().min(1).optional(),
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.string().default('loopback'),
  ALLOWED_ORIGINS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  CITIZEN_RETENTION_DAYS: z.coerce.number().int().min(1).max(limits.retentionDaysMax).default(30),
  JOBS_CHECK_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.string().min(3).default('Entraide <no-reply@entraide.invalid>'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  REQUIRE_SECOND_FACTOR: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  /** `max_parallel_workers_per_gather` on the app's PostgreSQL connections (DATABASE_PARALLEL_WORKERS). */
  databaseParallelWorkers: number;
  sessionSecret: string;
  /** 32-byte key for citizen data (AES-256-GCM). */
  dataKey: Buffer;
  demoPassword?: string;
  seedDemo: boolean;
  trustProxy: string;
  /** Other origins whose pages may call the API (the Vite dev server). */
  allowedOrigins: string[];
  logLevel: string;
  sessionTtlMs: number;
  /** How long an instance keeps a session read in memory (0: not at all). */
  sessionCacheMs: number;
  /** How long a session lives from its sign-in, however busy it is. */
  sessionMaxMs: number;
  /** Days after a task is done or cancelled before its citizen data is erased, unless its region says otherwise. */
  citizenRetentionDays: number;
  /** How often each instance looks for scheduled jobs that are due (0: never by itself; tests run them). */
  jobsCheckMs: number;
  /** The bearer token /metrics asks for on the app's port. */
  metricsToken?: string;
  /** A port of its own for /metrics (no token asked there; keep it on the internal network). */
  metricsPort?: number;
  /** Where notification e-mails go out (nodemailer); none without it. */
  smtpUrl?: string;
  mailFrom: string;
  /** The address people open the app at: the links in e-mails. */
  publicUrl?: string;
  /** Webhooks may call private, loopback and link-local addresses (a test, a closed network). */
  webhookAllowPrivate: boolean;
  /**
   * Coordinators, admins and DPOs must enrol a TOTP second factor before anything else answers them
   * (REQUIRE_SECOND_FACTOR; on by default in production, off otherwise).
   */
  requireSecondFactor: boolean;
  /** Warnings to log once the logger exists. */
  warnings: string[];
}

export class ConfigError extends Error {}

/** DATA_KEY is 32 bytes, given as 64 hex digits or as base64. */
export function parseDataKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'DATA_KEY must be 32 bytes: 64 hex digits or 44 base64 characters (try: openssl rand -hex 32)',
    );
  }
  return key;
}

/**
 * Outside production a missing secret is generated once and kept in DATA_DIR, so that sessions and
 * encrypted citizen data survive a restart of a development or demo server.
 */
function localSecret(dataDir: string, name: string): string {
  const file = path.resolve(dataDir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `NAME=` in an environment file means "not set", as if the line were not there.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${detail}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const warnings: string[] = [];
  if (production && !env.DATA_KEY) {
    throw new ConfigError('DATA_KEY is required in production: it encrypts citizen data (try: openssl rand -hex 32)');
  }
  if (production && !env.SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET is required in production (at least 32 characters)');
  }
  let dataKey: Buffer;
  if (env.DATA_KEY) {
    dataKey = parseDataKey(env.DATA_KEY);
  } else {
    dataKey = parseDataKey(localSecret(env.DATA_DIR, 'data-key'));
    warnings.push(`DATA_KEY is not set: using the key kept in ${path.resolve(env.DATA_DIR, 'data-key')}`);
  }
  const sessionSecret = env.SESSION_SECRET ?? localSecret(env.DATA_DIR, 'session-secret');
  if (!env.METRICS_TOKEN && env.METRICS_PORT === undefined) {
    warnings.push('Neither METRICS_TOKEN nor METRICS_PORT is set: /metrics is not served.');
  }
  if (env.SESSION_MAX_HOURS < env.SESSION_TTL_HOURS) {
    throw new ConfigError('SESSION_MAX_HOURS must be at least SESSION_TTL_HOURS.');
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseParallelWorkers: env.DATABASE_PARALLEL_WORKERS,
    sessionSecret,
    dataKey,
    demoPassword: env.DEMO_PASSWORD,
    seedDemo: production ? env.SEED_DEMO === 'true' : env.SEED_DEMO !== 'false',
    trustProxy: env.TRUST_PROXY,
    allowedOrigins: env.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    sessionCacheMs: env.SESSION_CACHE_MS,
    sessionMaxMs: env.SESSION_MAX_HOURS * 3_600_000,
    citizenRetentionDays: env.CITIZEN_RETENTION_DAYS,
    jobsCheckMs: env.JOBS_CHECK_SECONDS * 1000,
    metricsToken: env.METRICS_TOKEN,
    metricsPort: env.METRICS_PORT,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    publicUrl: env.PUBLIC_URL,
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    requireSecondFactor: env.REQUIRE_SECOND_FACTOR === undefined ? production : env.REQUIRE_SECOND_FACTOR === 'true',
    warnings,
  };
}
