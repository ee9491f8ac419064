import type { Locale, Notification } from '../../../shared/schemas';
import type { NotificationRow } from '../../db/schema';
import { notificationTitle } from './notification-rules';

export function presentNotification(
  row: NotificationRow,
  locale: Locale,
  labels: Map<string, { fr: string; en: string }>,
): Notification {
  const taskLabel = labels.get(row.taskType)?.[locale] ?? row.taskType;
  return {
    id: row.id,
    kind: row.kind,
    title: notificationTitle(locale, { ...row, taskLabel }),
    taskId: row.taskId,
    taskCode: row.taskCode,
    taskType: row.taskType,
    taskStatus: row.taskStatus,
    requestingCommuneName: row.requestingCommuneName,
    holderCommuneName: row.holderCommuneName,
    actorCommuneName: row.actorCommuneName,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
