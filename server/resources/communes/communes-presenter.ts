import type { Commune, CommuneLoad } from '../../../shared/schemas';
import type { CommuneRow } from '../../db/schema';
import type { LoadRow } from './loads-repo';

export function presentCommune(row: CommuneRow): Commune {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    regionId: row.regionId,
    latitude: row.latitude,
    longitude: row.longitude,
    status: row.status,
    taskCodePrefix: row.taskCodePrefix,
  };
}

export function presentLoad(row: LoadRow): CommuneLoad {
  return {
    communeId: row.communeId,
    posted: {
      open: row.postedOpen,
      claimed: row.postedClaimed,
      inProgress: row.postedInProgress,
      waitingInfo: row.postedWaitingInfo,
      overdue: row.postedOverdue,
      doneToday: row.postedDoneToday,
    },
    held: {
      claimed: row.heldClaimed,
      inProgress: row.heldInProgress,
      waitingInfo: row.heldWaitingInfo,
      overdue: row.heldOverdue,
      doneToday: row.heldDoneToday,
    },
    throughput24h: row.throughput24h,
    at: new Date().toISOString(),
  };
}
