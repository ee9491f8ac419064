import { count, eq } from 'drizzle-orm';
import { auditLog, events, incidents, tasks, users } from '../../server/db/schema';
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
