import type { BoardChange, Citizen, PublicTask, Task, TaskEvent } from '../../shared/schemas';
import type { Actor } from '../domain/actor';
import type { EventRow, TaskRow } from '../db/schema';
import { taskRowFromSnapshot } from '../db/tasks-repo';
import { taskAbilities } from '../policies/task-policy';
import { presentIncident } from './incident';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function isOverdue(row: Pick<TaskRow, 'dueAt' | 'status'>, now = Date.now()): boolean {
  return row.dueAt.getTime() < now && row.status !== 'done' && row.status !== 'cancelled';
}

/** The task as anyone in its region may see it: this is also what events and broadcasts carry. */
export function presentPublicTask(row: TaskRow): PublicTask {
  return {
    id: row.id,
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
    outcome: row.outcome,
    hasCitizenData: row.citizenCiphertext !== null,
    overdue: isOverdue(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentTask(actor: Actor, row: TaskRow, citizen?: Citizen): Task {
  return { ...presentPublicTask(row), abilities: taskAbilities(actor, row), ...(citizen ? { citizen } : {}) };
}

export function presentTaskEvent(row: EventRow, actorName: string | null): TaskEvent {
  return {
    id: row.id,
    seq: row.seq,
    taskId: row.taskId ?? '',
    action: row.action as TaskEvent['action'],
    actorUserId: row.actorUserId,
    actorName,
    actorCommuneId: row.actorCommuneId,
    fromStatus: row.fromStatus as TaskEvent['fromStatus'],
    toStatus: row.toStatus as TaskEvent['toStatus'],
    note: row.note,
    at: row.createdAt.toISOString(),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** A numbered event as the board sees it. Snapshots were written without citizen data. */
export function presentChange(row: EventRow & { seq: number }): BoardChange {
  const at = row.createdAt.toISOString();
  if (row.type === 'incident:updated') {
    return { type: row.type, seq: row.seq, at, incident: row.snapshot as ReturnType<typeof presentIncident> };
  }
  return { type: row.type, seq: row.seq, at, task: presentPublicTask(taskRowFromSnapshot(row.snapshot)) };
}
