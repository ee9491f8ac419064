import type passportModule from 'passport';
import type { Clock } from './core/clock';
import type { Db } from './db/client';
import type { SequencedEvent } from './db/events';
import type { AuditRow } from './db/schema';
import type { Metrics } from './metrics';
import type { Sequencer } from './realtime/sequencer';

/** One Passport instance per app, so that several apps in one process (tests) do not share state. */
export type Authenticator = InstanceType<typeof passportModule.Authenticator>;

/** What the app tells the outside world when sessions end, so that live connections end with them. */
export interface SessionHooks {
  /** One session ended (logout). */
  sessionEnded(sessionId: string): void;
  /** An account changed; `sessionsEnded` when all of its sessions were ended with it. */
  accountChanged(userId: string, sessionsEnded: boolean): void;
}

/** What the resources need from the app: built once per app by `createApp`. */
export interface DomainContext {
  db: Db;
  /** The key of the citizen data (AES-256-GCM). */
  dataKey: Buffer;
  sequencer: Sequencer<SequencedEvent>;
  /**
   * Numbers and chains the audit trail's entries after they commit: its sweep does it within a second,
   * and whoever reads the trail flushes it first. Nothing waits for it, so writing an entry costs one
   * insert in the writer's transaction and nothing more.
   */
  auditSequencer: Sequencer<AuditRow>;
  metrics: Metrics;
  /** The app's Passport, with the local strategy: sign-in goes through it. */
  passport: Authenticator;
  hooks: SessionHooks;
  /** The time of rules that wait (retention, timeouts): the system's, or a test's. */
  clock: Clock;
  /** Days citizen data is kept after a task is finished, where its region sets none (CITIZEN_RETENTION_DAYS). */
  citizenRetentionDays: number;
  /** Where webhooks may point (WEBHOOK_ALLOW_PRIVATE) and the hosts that are this server itself. */
  webhooks: { allowPrivate: boolean; selfHosts: string[] };
  /** Coordinators, admins and DPOs must enrol a second factor before anything else (REQUIRE_SECOND_FACTOR). */
  requireSecondFactor: boolean;
}
