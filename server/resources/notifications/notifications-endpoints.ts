import { z } from 'zod';
import {
  Id,
  Me,
  Notification,
  NotificationPage,
  NotificationQuery,
  PreferencesUpdate,
  UnreadCount,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import {
  changePreferences,
  countUnread,
  listNotifications,
  readAllNotifications,
  readNotification,
} from './notifications';

const tag = 'notifications';
const NotificationParams = z.object({ id: Id.describe('notification id') });
const ReadAll = z.object({ marked: z.number().int(), unreadCount: z.number().int() }).meta({ id: 'ReadAll' });

/** Everyone signed in has an inbox of their own: each endpoint reads and writes only the caller's. */
export const notificationsEndpoints = [
  endpoint({
    method: 'get',
    path: '/notifications',
    tag,
    summary: 'My notifications, newest first (unread=true for the unread only), with the unread count',
    permission: permission.signedIn,
    query: NotificationQuery,
    responses: { 200: { description: 'A page of my notifications', schema: NotificationPage } },
    handle: ({ ctx, actor, query }) => listNotifications(ctx, actor, query),
  }),

  endpoint({
    method: 'get',
    path: '/notifications/unread-count',
    tag,
    summary: 'How many of my notifications are unread',
    permission: permission.signedIn,
    responses: { 200: { description: 'The unread count', schema: UnreadCount } },
    handle: ({ ctx, actor }) => countUnread(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/notifications/read-all',
    tag,
    summary: 'Mark all my notifications read',
    permission: permission.signedIn,
    responses: { 200: { description: 'How many were marked', schema: ReadAll } },
    handle: ({ ctx, actor }) => readAllNotifications(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/notifications/:id/read',
    tag,
    summary: "Mark one of my notifications read (another's is not found)",
    permission: permission.signedIn,
    params: NotificationParams,
    responses: { 200: { description: 'The notification, read', schema: Notification } },
    handle: ({ ctx, actor, params }) => readNotification(ctx, actor, params.id),
  }),

  endpoint({
    method: 'patch',
    path: '/me',
    tag: 'auth',
    summary: 'My preferences: the language of my notifications (fr, en) and my e-mail address',
    permission: permission.signedIn,
    body: PreferencesUpdate,
    responses: { 200: { description: 'The user with the preferences as they are now', schema: Me } },
    handle: ({ ctx, actor, body }) => changePreferences(ctx, actor, body),
  }),
];
