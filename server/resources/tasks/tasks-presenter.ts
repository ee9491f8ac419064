import type { Citizen, PublicTask, Task, TaskEvent } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import type { EventRow, TaskRow } from '../../db/schema';
import { isOverdue } from './task-rules';
import { taskAbilities } from './tasks-policy';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The task as anyone in its region may see it: this is also what events and broadcasts carry. */
export function presentPublicTask(row: TaskRow): PublicTask {
  return {
    id: row.id,
    code: row.code,
    drillId: row.drillId,
    requestingCommuneId: row.requestingCommuneId,
    regionId: row.regionId,
    incidentId: row.incidentId,
    type: row.type,
    title: row.title,
    details: row.details,
    priority: row.priority,
    dueAt: row.dueAt.toISOString(),
    deliveryMode: row.deliveryMode,
    status: row.status,
    claimedByCommuneId: row.claimedByCommuneId,
    claimedByUserId: row.claimedByUserId,
    claimedAt: iso(row.claimedAt),
    remindedAt: iso(row.remindedAt),
    transferRequestId: row.transferRequestId,
    escalationLevel: row.escalationLevel,
    // Snapshots written before migration 0020 have none of these.
    waiting:
      row.status === 'waiting_info' && row.waitingFrom && row.waitingSince && row.question !== null
        ? { question: row.question, since: row.waitingSince.toISOString(), from: row.waitingFrom }
        : null,
    slot: row.slotStart
      ? { start: row.slotStart.toISOString(), durationMinutes: row.slotMinutes ?? 0, place: row.slotPlace ?? '' }
      : null,
    outcome: row.outcome,
    minutesSpent: row.minutesSpent,
    doneAt: iso(row.doneAt),
    hasCitizenData: row.citizenCiphertext !== null,
    postedBy: row.createdBy,
    onBehalf: row.onBehalf,
    postedByTokenId: row.postedByTokenId,
    overdue: isOverdue(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentTask(actor: Actor, row: TaskRow, citizen?: Citizen): Task {
  return { ...presentPublicTask(row), abilities: taskAbilities(actor, row), ...(citizen ? { citizen } : {}) };
}

/** Who an event was for, or by, beyond its actor: the commune a coordinator posted for, the token that posted. */
export interface EventParties {
  onBehalfOf: TaskEvent['onBehalfOf'];
  integration: TaskEvent['integration'];
}

export function presentTaskEvent(
  row: EventRow,
  actorName: string | null,
  parties: EventParties = { onBehalfOf: null, integration: null },
): TaskEvent {
  return {
    id: row.id,
    seq: row.seq,
    taskId: row.taskId ?? '',
    action: row.action as TaskEvent['action'],
    actorUserId: row.actorUserId,
    actorName,
    actorKind: row.actorUserId === null ? 'system' : 'user',
    actorCommuneId: row.actorCommuneId,
    fromStatus: row.fromStatus as TaskEvent['fromStatus'],
    toStatus: row.toStatus as TaskEvent['toStatus'],
    note: row.note,
    ...(row.action === 'escalated' ? { escalationLevel: escalationLevelOf(row.snapshot) } : {}),
    ...parties,
    at: row.createdAt.toISOString(),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The level an `escalated` event's snapshot recorded (the task as the event left it). */
function escalationLevelOf(snapshot: unknown): number {
  const level = (snapshot as { escalation_level?: unknown }).escalation_level;
  return typeof level === 'number' ? level : 0;
}
