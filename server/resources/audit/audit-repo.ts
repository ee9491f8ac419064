import { aliasedTable, and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { AuditFilter } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { auditLog, users } from '../../db/schema';

const subject = aliasedTable(users, 'subject');

/** A region's audit entries, latest first, after `before` (an entry id) when paging. */
export async function listAudit(
  db: Executor,
  regionId: string,
  filter: AuditFilter,
  page: { before?: number; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    eq(auditLog.regionId, regionId),
    filter.kind ? eq(auditLog.kind, filter.kind) : undefined,
    filter.userId
      ? sql`(${auditLog.actorUserId} = ${filter.userId} or ${auditLog.subjectUserId} = ${filter.userId})`
      : undefined,
    filter.taskId ? eq(auditLog.taskId, filter.taskId) : undefined,
    filter.from ? gte(auditLog.at, new Date(filter.from)) : undefined,
    filter.to ? lte(auditLog.at, new Date(filter.to)) : undefined,
    page.before !== undefined ? lt(auditLog.id, page.before) : undefined,
  ];
  return db
    .select({
      id: auditLog.id,
      seq: auditLog.seq,
      kind: auditLog.kind,
      at: auditLog.at,
      actorUserId: auditLog.actorUserId,
      actorName: users.displayName,
      actorCommuneId: auditLog.actorCommuneId,
      subjectUserId: auditLog.subjectUserId,
      subjectName: subject.displayName,
      taskId: auditLog.taskId,
      detail: auditLog.detail,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(subject, eq(subject.id, auditLog.subjectUserId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(page.limit);
}
