import type {
  Me,
  Notification,
  NotificationPage,
  NotificationQuery,
  PreferencesUpdate,
  UnreadCount,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { presentMe } from '../auth/auth';
import { presentNotification } from './notifications-presenter';
import {
  inboxPage,
  markAllRead,
  markRead,
  setPreferences,
  taskTypeLabels,
  unreadCount,
  userLocale,
} from './notifications-repo';

/** The signed-in user's own notifications, newest first, with how many are unread. */
export async function listNotifications(
  ctx: DomainContext,
  actor: Actor,
  query: NotificationQuery,
): Promise<NotificationPage> {
  const [rows, unread, locale, labels] = await Promise.all([
    inboxPage(ctx.db, actor.id, {
      unreadOnly: query.unread === 'true',
      before: query.cursor === undefined ? null : Number(query.cursor),
      limit: query.limit + 1,
    }),
    unreadCount(ctx.db, actor.id),
    userLocale(ctx.db, actor.id),
    taskTypeLabels(ctx.db),
  ]);
  const page = rows.slice(0, query.limit);
  const lastShown = page.at(-1);
  return {
    items: page.map((r) => presentNotification(r, locale, labels)),
    nextCursor: rows.length > query.limit && lastShown ? String(lastShown.position) : null,
    unreadCount: unread,
  };
}

export async function countUnread(ctx: DomainContext, actor: Actor): Promise<UnreadCount> {
  return { unreadCount: await unreadCount(ctx.db, actor.id) };
}

/** Someone else's notification is not found, as one that does not exist. */
export async function readNotification(ctx: DomainContext, actor: Actor, id: string): Promise<Notification> {
  const row = await markRead(ctx.db, actor.id, id, ctx.clock.now());
  if (!row) throw new NotFoundError('notification');
  const [locale, labels] = await Promise.all([userLocale(ctx.db, actor.id), taskTypeLabels(ctx.db)]);
  return presentNotification(row, locale, labels);
}

export async function readAllNotifications(
  ctx: DomainContext,
  actor: Actor,
): Promise<{ marked: number; unreadCount: number }> {
  const marked = await markAllRead(ctx.db, actor.id, ctx.clock.now());
  return { marked, unreadCount: await unreadCount(ctx.db, actor.id) };
}

/** The user's own language and e-mail address for notifications. */
export async function changePreferences(ctx: DomainContext, actor: Actor, input: PreferencesUpdate): Promise<Me> {
  const set = {
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
  };
  if (Object.keys(set).length > 0) {
    await setPreferences(ctx.db, actor.id, set, ctx.clock.now());
    // The session's cached actor carries the language its problems are said in.
    ctx.hooks.accountChanged(actor.id, false);
  }
  return presentMe(ctx, actor);
}
