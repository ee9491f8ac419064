import { useEffect, useState } from 'react';
import type { TaskViewer } from '../../../../shared/events';
import { useI18n } from '../../i18n/i18n';
import { subscribeSocket } from '../../realtime/socket';

/**
 * Who else has this task open, live (presence): announced on every connection, so a reconnection to
 * another instance shows the page again; left when the page goes.
 */
export function useViewers(taskId: string, selfId: string): TaskViewer[] {
  const [viewers, setViewers] = useState<TaskViewer[]>([]);
  useEffect(() => {
    const { socket, unsubscribe } = subscribeSocket({
      onConnect: () => {
        socket.emit('task:view', { taskId }, (answer) => {
          if (answer.ok) setViewers(answer.viewers.users);
        });
      },
      events: {
        'task:viewers': (payload) => {
          if (payload.taskId === taskId) setViewers(payload.users);
        },
      },
    });
    return () => {
      socket.emit('task:leave');
      unsubscribe();
      setViewers([]);
    };
  }, [taskId]);
  return viewers.filter((v) => v.id !== selfId);
}

/** "Also open by …", read out politely when it changes. */
export function Viewers({ taskId, selfId }: { taskId: string; selfId: string }) {
  const { t } = useI18n();
  const others = useViewers(taskId, selfId);
  return (
    <p className="viewers" role="status" aria-live="polite">
      {others.length > 0 &&
        t('alsoViewing', {
          names: others.map((v) => (v.communeName ? `${v.displayName} (${v.communeName})` : v.displayName)).join(', '),
        })}
    </p>
  );
}
