import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { auditLog, users } from '../../db/schema';

/** Who read a task's citizen data, latest first: the audit trail's `citizen_read` entries. */
export async function listCitizenReads(db: Executor, taskId: string) {
  return db
    .select({
      at: auditLog.at,
      userId: users.id,
      username: users.username,
      communeId: auditLog.actorCommuneId,
    })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.taskId, taskId), eq(auditLog.kind, 'citizen_read')))
    .orderBy(desc(auditLog.at))
    .limit(500);
}
