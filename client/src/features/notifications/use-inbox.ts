import { useCallback, useEffect, useState } from 'react';
import type { Notification } from '../../../../shared/schemas';
import { notificationsApi } from '../../api/notifications';
import { subscribeSocket } from '../../realtime/socket';

export interface Inbox {
  items: Notification[];
  unreadCount: number;
  failed: boolean;
  markRead: (id: string) => Promise<void>;
  markAllRead: () => Promise<void>;
}

/**
 * The latest notifications and the unread count, live: read again on every (re)connection, since
 * what was pushed while offline is lost, and each `notification:created` is added as it comes.
 */
export function useInbox(limit = 20): Inbox {
  const [items, setItems] = useState<Notification[]>([]);
  const [unreadCount, setUnreadCount] = useState(0);
  const [failed, setFailed] = useState(false);

  const reload = useCallback(() => {
    notificationsApi.list({ limit }).then(
      (page) => {
        setItems(page.items);
        setUnreadCount(page.unreadCount);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [limit]);

  useEffect(() => {
    reload();
    const { unsubscribe } = subscribeSocket({
      onConnect: reload,
      events: {
        'notification:created': ({ notification }) => {
          setItems((current) =>
            current.some((n) => n.id === notification.id) ? current : [notification, ...current].slice(0, limit),
          );
          setUnreadCount((n) => n + 1);
        },
      },
    });
    return unsubscribe;
  }, [reload, limit]);

  const markRead = useCallback(async (id: string) => {
    const read = await notificationsApi.read(id);
    setItems((current) => current.map((n) => (n.id === id ? read : n)));
    setUnreadCount(await notificationsApi.unreadCount());
  }, []);

  const markAllRead = useCallback(async () => {
    const { unreadCount: left } = await notificationsApi.readAll();
    setUnreadCount(left);
    reload();
  }, [reload]);

  return { items, unreadCount, failed, markRead, markAllRead };
}
