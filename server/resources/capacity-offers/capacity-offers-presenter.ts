import type { CapacityOffer } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { canDeleteOffer, canUpdateOffer } from './capacity-offers-policy';
import type { OfferView } from './capacity-offers-repo';

/** An offer as the caller sees it; `today` is the day at the town halls (YYYY-MM-DD). */
export function presentOffer(actor: Actor, row: OfferView, today: string): CapacityOffer {
  const current = row.fromDay <= today && today <= row.toDay;
  return {
    id: row.id,
    communeId: row.communeId,
    communeName: row.communeName,
    regionId: row.regionId,
    taskTypes: row.taskTypes,
    perDay: row.perDay,
    from: row.fromDay,
    to: row.toDay,
    current,
    usedToday: row.usedByDay.find((d) => d.day === today)?.used ?? 0,
    usedByDay: row.usedByDay,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    abilities: { update: canUpdateOffer(actor, row), delete: canDeleteOffer(actor, row) },
  };
}
