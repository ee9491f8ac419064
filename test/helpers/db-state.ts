import { count, eq, isNull } from 'drizzle-orm';
import { auditLog, deliveries, events, incidents, notifications, tasks, users, webhooks } from '../../server/db/schema';
import type { TestApp } from './test-app';

/** Row counts of the tables a write could touch: equal before and after means nothing was written. */
export async function writeCounts(app: TestApp) {
  const db = app.running.database.db;
  const n = async (table: typeof tasks | typeof events | typeof incidents | typeof users) =>
    (await db.select({ n: count() }).from(table))[0]?.n ?? -1;
  return {
    tasks: await n(tasks),
    events: await n(events),
    incidents: await n(incidents),
    citizenReads: (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.kind, 'citizen_read')))[0]?.n ?? -1,
    users: await n(users),
  };
}

/**
 * Row counts of what the notifications and webhooks write: beside `writeCounts` in their own tests
 * only, since a claim made just before fans out in the background.
 */
export async function notificationCounts(app: TestApp) {
  const db = app.running.database.db;
  const n = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? -1;
  return {
    notifications: await n(db.select({ n: count() }).from(notifications)),
    unread: await n(db.select({ n: count() }).from(notifications).where(isNull(notifications.readAt))),
    webhooks: await n(db.select({ n: count() }).from(webhooks).where(isNull(webhooks.deletedAt))),
    deliveries: await n(db.select({ n: count() }).from(deliveries)),
    withoutEmail: await n(db.select({ n: count() }).from(users).where(isNull(users.email))),
  };
}
