import { z } from 'zod';
import { Me, Notification, NotificationPage, UnreadCount, type PreferencesUpdate } from '../../../shared/schemas';
import { call, json } from './client';

const ReadAll = z.object({ marked: z.number().int(), unreadCount: z.number().int() });

/** The signed-in user's inbox and preferences. */
export const notificationsApi = {
  list: (options: { unreadOnly?: boolean; limit?: number; cursor?: string } = {}) => {
    const params = new URLSearchParams();
    if (options.unreadOnly) params.set('unread', 'true');
    if (options.limit) params.set('limit', String(options.limit));
    if (options.cursor) params.set('cursor', options.cursor);
    const query = params.toString();
    return call(NotificationPage, query ? `/notifications?${query}` : '/notifications');
  },
  unreadCount: async () => (await call(UnreadCount, '/notifications/unread-count')).unreadCount,
  read: (id: string) => call(Notification, `/notifications/${id}/read`, { method: 'POST' }),
  readAll: () => call(ReadAll, '/notifications/read-all', { method: 'POST' }),
  updatePreferences: (update: PreferencesUpdate) => call(Me, '/me', json(update, 'PATCH')),
};
