import type { TransferRequest } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { canAnswerTransfer } from './transfers-policy';
import type { TransferView } from './transfers-repo';

export function presentTransfer(actor: Actor, row: TransferView): TransferRequest {
  const answer = canAnswerTransfer(actor, row) && row.status === 'open';
  return {
    id: row.id,
    taskId: row.taskId,
    taskCode: row.taskCode,
    taskTitle: row.taskTitle,
    regionId: row.regionId,
    holderCommuneId: row.holderCommuneId,
    holderCommuneName: row.holderCommuneName,
    askerCommuneId: row.askerCommuneId,
    askerCommuneName: row.askerCommuneName,
    askedByUserId: row.askedByUserId,
    askedByName: row.askedByName,
    note: row.note,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
    abilities: { accept: answer, decline: answer },
  };
}
