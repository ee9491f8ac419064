import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  communes,
  deliveries,
  events,
  notifications,
  notifierCursor,
  taskTypes,
  transferRequests,
  users,
  type NotificationRow,
} from '../../db/schema';

/** A numbered task event as the notifier reads it: who did what, and the task's facts from its snapshot. */
export interface FanOutEvent {
  seq: number;
  taskId: string | null;
  regionId: string;
  action: string;
  actorUserId: string | null;
  actorCommuneId: string | null;
  fromStatus: string | null;
  toStatus: string;
  createdAt: Date;
  /** The commune that posted the task, and the one holding it after the event. */
  requester: string;
  holder: string | null;
  code: string | null;
  type: string;
  dueAt: string | null;
  escalationLevel: number;
}

/** A text field of an event's snapshot, read by PostgreSQL: the notifier never parses a whole snapshot. */
const snapshotText = (key: string) => sql<string | null>`${events.snapshot}->>${sql.raw(`'${key}'`)}`;

/** The numbered events after `since`, in order, with only what a fan-out needs. */
export async function eventsToFanOut(tx: Executor, since: number, limit: number): Promise<FanOutEvent[]> {
  const rows = await tx
    .select({
      seq: events.seq,
      taskId: events.taskId,
      regionId: events.regionId,
      action: events.action,
      actorUserId: events.actorUserId,
      actorCommuneId: events.actorCommuneId,
      fromStatus: events.fromStatus,
      toStatus: events.toStatus,
      createdAt: events.createdAt,
      requester: snapshotText('requesting_commune_id'),
      holder: snapshotText('claimed_by_commune_id'),
      code: snapshotText('code'),
      type: snapshotText('type'),
      dueAt: snapshotText('due_at'),
      escalationLevel: sql<number | null>`(${events.snapshot}->>'escalation_level')::int`,
    })
    .from(events)
    .where(gt(events.seq, since))
    .orderBy(asc(events.seq))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    seq: r.seq ?? 0,
    requester: r.requester ?? '',
    type: r.type ?? '',
    escalationLevel: r.escalationLevel ?? 0,
  }));
}

/** Takes the notifier's cursor for this transaction (others wait) and gives the last event fanned out. */
/** The language of a user's notifications: the one they chose, else French. */
const notificationLocale = sql<'fr' | 'en'>`coalesce(${users.locale}, 'fr')`;

export async function lockNotifierCursor(tx: Executor): Promise<number> {
  const [row] = await tx.select().from(notifierCursor).where(eq(notifierCursor.id, 1)).for('update');
  if (!row) throw new Error('notifier_cursor row is missing: migrations did not run');
  return row.lastSeq;
}

export async function moveNotifierCursor(tx: Executor, lastSeq: number): Promise<void> {
  await tx.update(notifierCursor).set({ lastSeq }).where(eq(notifierCursor.id, 1));
}

/** The commune that held the task before event `seq`: its previous event's snapshot says. */
export async function holderBefore(tx: Executor, taskId: string, seq: number): Promise<string | null> {
  const [row] = await tx
    .select({ holder: sql<string | null>`${events.snapshot}->>'claimed_by_commune_id'` })
    .from(events)
    .where(and(eq(events.taskId, taskId), lt(events.seq, seq)))
    .orderBy(desc(events.seq))
    .limit(1);
  return row?.holder ?? null;
}

/**
 * Who asked for the transfer that event `seq` answered (accepted, declined, timed out): the request
 * the task's previous event pointed at (an open request stays on the task until it is answered).
 */
export async function transferBefore(
  tx: Executor,
  taskId: string,
  seq: number,
): Promise<{ askerCommuneId: string; askedBy: Recipient | null } | undefined> {
  const [row] = await tx
    .select({
      askerCommuneId: transferRequests.askerCommuneId,
      id: users.id,
      locale: notificationLocale,
      email: users.email,
      active: users.active,
    })
    .from(events)
    .innerJoin(transferRequests, sql`${transferRequests.id} = (${events.snapshot}->>'transfer_request_id')::uuid`)
    .innerJoin(users, eq(users.id, transferRequests.askedByUserId))
    .where(and(eq(events.taskId, taskId), lt(events.seq, seq)))
    .orderBy(desc(events.seq))
    .limit(1);
  if (!row) return undefined;
  const { askerCommuneId, active, ...askedBy } = row;
  return { askerCommuneId, askedBy: active ? askedBy : null };
}

/** The active coordinators of a region. */
export async function regionCoordinators(tx: Executor, regionId: string): Promise<Recipient[]> {
  return tx
    .select({ id: users.id, locale: notificationLocale, email: users.email })
    .from(users)
    .where(and(eq(users.regionId, regionId), eq(users.role, 'coordinator'), eq(users.active, true)))
    .orderBy(asc(users.id));
}

export interface Recipient {
  id: string;
  locale: 'fr' | 'en';
  email: string | null;
}

/** The active users of a commune with one of `roles`. */
export async function communeMembers(
  tx: Executor,
  communeId: string,
  roles: ('manager' | 'clerk')[],
): Promise<Recipient[]> {
  return tx
    .select({ id: users.id, locale: notificationLocale, email: users.email })
    .from(users)
    .where(and(eq(users.communeId, communeId), inArray(users.role, roles), eq(users.active, true)))
    .orderBy(asc(users.id));
}

export async function communeNames(tx: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: communes.id, name: communes.name })
    .from(communes)
    .where(inArray(communes.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function taskTypeLabels(tx: Executor): Promise<Map<string, { fr: string; en: string }>> {
  const rows = await tx.select({ key: taskTypes.key, fr: taskTypes.labelFr, en: taskTypes.labelEn }).from(taskTypes);
  return new Map(rows.map((r) => [r.key, { fr: r.fr, en: r.en }]));
}

export type NewNotification = typeof notifications.$inferInsert;

/**
 * Inserts the notifications, one per user and event at most whatever happens, and gives the rows it
 * wrote. One array per column: the statement's text stays the same whatever the batch's size, and a
 * batch of hundreds costs a handful of parameters, not a dozen per row.
 */
export async function insertNotifications(tx: Executor, rows: NewNotification[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (r: NewNotification) => T) => sql.param(rows.map(pick));
  const result = await tx.execute(
    sql`insert into ${notifications} (user_id, event_seq, kind, task_id, task_code, task_type, task_status,
        requesting_commune_name, holder_commune_name, actor_commune_name, by_system, created_at)
      select * from unnest(${column((r) => r.userId)}::uuid[], ${column((r) => r.eventSeq)}::bigint[],
        ${column((r) => r.kind)}::text[], ${column((r) => r.taskId ?? null)}::uuid[],
        ${column((r) => r.taskCode ?? null)}::text[], ${column((r) => r.taskType)}::text[],
        ${column((r) => r.taskStatus)}::text[], ${column((r) => r.requestingCommuneName)}::text[],
        ${column((r) => r.holderCommuneName ?? null)}::text[], ${column((r) => r.actorCommuneName ?? null)}::text[],
        ${column((r) => r.bySystem ?? false)}::boolean[], ${column((r) => r.createdAt.toISOString())}::timestamptz[])
      on conflict do nothing
      returning id, position, user_id, event_seq`,
  );
  type Written = { id: string; position: string | number; user_id: string; event_seq: string | number };
  const written = new Map((result as { rows: Written[] }).rows.map((r) => [`${r.user_id}:${Number(r.event_seq)}`, r]));
  return rows.flatMap((row) => {
    const done = written.get(`${row.userId}:${row.eventSeq}`);
    if (!done) return [];
    return [
      {
        id: done.id,
        position: Number(done.position),
        userId: row.userId,
        eventSeq: row.eventSeq,
        kind: row.kind,
        taskId: row.taskId ?? null,
        taskCode: row.taskCode ?? null,
        taskType: row.taskType,
        taskStatus: row.taskStatus,
        requestingCommuneName: row.requestingCommuneName,
        holderCommuneName: row.holderCommuneName ?? null,
        actorCommuneName: row.actorCommuneName ?? null,
        bySystem: row.bySystem ?? false,
        createdAt: row.createdAt,
        readAt: null,
      },
    ];
  });
}

export type NewDelivery = typeof deliveries.$inferInsert;

export async function insertDeliveries(tx: Executor, rows: NewDelivery[]): Promise<void> {
  if (rows.length > 0) await tx.insert(deliveries).values(rows);
}

export async function userLocale(db: Executor, userId: string): Promise<'fr' | 'en'> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale ?? 'fr';
}

/** A page of a user's inbox, newest first, from before `cursor` (a position). */
export async function inboxPage(
  db: Executor,
  userId: string,
  options: { unreadOnly: boolean; before: number | null; limit: number },
): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        options.unreadOnly ? isNull(notifications.readAt) : undefined,
        options.before === null ? undefined : lt(notifications.position, options.before),
      ),
    )
    .orderBy(desc(notifications.position))
    .limit(options.limit);
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of the user's notifications read (kept as first read); undefined when it is not theirs. */
export async function markRead(db: Executor, userId: string, id: string, now: Date) {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${now})` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning();
  return row;
}

export async function markAllRead(db: Executor, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

export async function findPreferences(db: Executor, userId: string) {
  const [row] = await db.select({ locale: users.locale, email: users.email }).from(users).where(eq(users.id, userId));
  return row;
}

export async function setPreferences(
  db: Executor,
  userId: string,
  set: { locale?: 'fr' | 'en'; email?: string | null },
  now: Date,
): Promise<void> {
  await db
    .update(users)
    .set({ ...set, updatedAt: now })
    .where(eq(users.id, userId));
}

/** A notification with its reader's language and address: what an e-mail is made of. */
export async function notificationWithReader(db: Executor, id: string) {
  const [row] = await db
    .select({ notification: notifications, locale: notificationLocale, email: users.email })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(eq(notifications.id, id));
  return row;
}
