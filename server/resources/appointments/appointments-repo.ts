import { realTasks } from '../tasks/tasks-repo';
import { and, asc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { communeCalendarLinks, communes, tasks, taskTypes } from '../../db/schema';

export type CalendarLinkRow = typeof communeCalendarLinks.$inferSelect;

export async function findCalendarLink(db: Executor, communeId: string): Promise<CalendarLinkRow | undefined> {
  const [row] = await db.select().from(communeCalendarLinks).where(eq(communeCalendarLinks.communeId, communeId));
  return row;
}

/** The commune's link, made with `nonce` if it has none yet (two first reads at once make one). */
export async function ensureCalendarLink(
  db: Executor,
  values: { communeId: string; nonce: string; keyHash: string },
): Promise<CalendarLinkRow> {
  await db.insert(communeCalendarLinks).values(values).onConflictDoNothing();
  const row = await findCalendarLink(db, values.communeId);
  if (!row) throw new Error(`calendar link of ${values.communeId} not written`);
  return row;
}

/** A new nonce and key hash for the commune: the previous key stops working with this write. */
export async function renewCalendarLink(
  db: Executor,
  values: { communeId: string; nonce: string; keyHash: string; renewedAt: Date; renewedBy: string },
): Promise<CalendarLinkRow> {
  const [row] = await db
    .insert(communeCalendarLinks)
    .values(values)
    .onConflictDoUpdate({
      target: communeCalendarLinks.communeId,
      set: { nonce: values.nonce, keyHash: values.keyHash, renewedAt: values.renewedAt, renewedBy: values.renewedBy },
    })
    .returning();
  if (!row) throw new Error(`calendar link of ${values.communeId} not renewed`);
  return row;
}

/** The statuses of a claim the commune still holds or has done: a released or cancelled one is not its own. */
export const heldStatuses = ['claimed', 'in_progress', 'waiting_info', 'done'] as const;

/**
 * The appointments a commune holds from `since` on, in slot order: the code, the type and the slot,
 * never the title, the details or the citizen data.
 */
export async function heldAppointments(db: Executor, communeId: string, since: Date, max: number) {
  return db
    .select({
      id: tasks.id,
      code: tasks.code,
      status: tasks.status,
      version: tasks.version,
      updatedAt: tasks.updatedAt,
      slotStart: tasks.slotStart,
      slotMinutes: tasks.slotMinutes,
      slotPlace: tasks.slotPlace,
      labelFr: taskTypes.labelFr,
      labelEn: taskTypes.labelEn,
      requestedOf: communes.name,
    })
    .from(tasks)
    .innerJoin(taskTypes, eq(taskTypes.key, tasks.type))
    .innerJoin(communes, eq(communes.id, tasks.requestingCommuneId))
    .where(
      and(
        eq(tasks.claimedByCommuneId, sql`${communeId}::uuid`),
        inArray(tasks.status, [...heldStatuses]),
        isNotNull(tasks.slotStart),
        realTasks(),
        gte(tasks.slotStart, since),
      ),
    )
    .orderBy(asc(tasks.slotStart), asc(tasks.id))
    .limit(max);
}

export async function communeNameOf(db: Executor, communeId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: communes.name }).from(communes).where(eq(communes.id, communeId));
  return row?.name;
}
