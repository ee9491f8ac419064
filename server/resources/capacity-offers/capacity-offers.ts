import {
  periodDays,
  reportDay,
  type CapacityOffer,
  type CapacityOfferCreate,
  type CapacityOfferList,
  type CapacityOfferListQuery,
  type CapacityOfferUpdate,
  type FieldError,
} from '../../../shared/schemas';
import { limits } from '../../../shared/limits';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import { msg } from '../../core/messages';
import type { DomainContext } from '../../context';
import { transaction, type Executor } from '../../db/client';
import {
  canListOffers,
  canOfferCapacity,
  canDeleteOffer,
  canUpdateOffer,
  canViewOffer,
} from './capacity-offers-policy';
import { presentOffer } from './capacity-offers-presenter';
import {
  deleteOffer,
  findOffer,
  insertOffer,
  listOffers,
  lockCommuneOffers,
  overlappingOffer,
  unknownTaskTypes,
  updateOffer,
  type OfferView,
} from './capacity-offers-repo';

export const onlyManagersOffer = msg('only_managers_offer');
export const onlyOfferingManagers = msg('only_offering_managers');
export const onlyRegionMembersSeeOffers = msg('only_region_members_see_offers');

const invalid = (errors: FieldError[]) => new ValidationError(msg('offer_invalid'), errors);

/** The period as it ends up, checked as the create schema checks it (an update may move one end). */
function checkPeriod(from: string, to: string): void {
  const days = periodDays(from, to);
  if (days < 1) throw invalid([{ field: 'to', message: 'must not be before from', code: 'period_reversed' }]);
  if (days > limits.offerPeriodDaysMax)
    throw invalid([
      {
        field: 'to',
        message: `must be at most ${limits.offerPeriodDaysMax} days from from, both included`,
        code: 'period_too_long',
        params: { max: limits.offerPeriodDaysMax },
      },
    ]);
}

async function checkTaskTypes(db: Executor, keys: string[]): Promise<void> {
  const unknown = await unknownTaskTypes(db, keys);
  if (unknown.length > 0)
    throw invalid([
      {
        field: 'taskTypes',
        message: `names no task type: ${unknown.join(', ')}`,
        code: 'unknown_task_type',
        params: { keys: unknown.join(', ') },
      },
    ]);
}

const distinct = (keys: string[]) => [...new Set(keys)].sort();

async function refuseOverlap(
  tx: Executor,
  actor: Actor,
  o: { communeId: string; taskTypes: string[]; from: string; to: string; exceptId?: string },
  today: string,
): Promise<void> {
  const other = await overlappingOffer(tx, o);
  if (!other) return;
  const shared = other.taskTypes.filter((t) => o.taskTypes.includes(t)).join(', ');
  const current = await findOffer(tx, other.id);
  throw new ConflictError(
    msg('offer_overlap', { from: other.fromDay, to: other.toDay, types: shared }),
    'offer_overlap',
    current && presentOffer(actor, current, today),
  );
}

/** A manager offers their commune's capacity: one transaction, the commune's row locked for the overlap check. */
export async function createOffer(ctx: DomainContext, actor: Actor, body: CapacityOfferCreate): Promise<CapacityOffer> {
  if (!canOfferCapacity(actor)) throw new ForbiddenError(onlyManagersOffer);
  const taskTypes = distinct(body.taskTypes);
  await checkTaskTypes(ctx.db, taskTypes);
  const now = ctx.clock.now();
  const today = reportDay(now);
  const id = await transaction(ctx.db, async (tx) => {
    await lockCommuneOffers(tx, actor.communeId);
    const o = { communeId: actor.communeId, taskTypes, from: body.from, to: body.to };
    await refuseOverlap(tx, actor, o, today);
    return insertOffer(tx, {
      communeId: actor.communeId,
      regionId: actor.regionId,
      taskTypes,
      perDay: body.perDay,
      fromDay: body.from,
      toDay: body.to,
      createdBy: actor.integration ? null : actor.id,
      createdAt: now,
      updatedAt: now,
    });
  });
  return visibleOffer(ctx, actor, id);
}

async function seenOffer(db: Executor, actor: Actor, id: string): Promise<OfferView> {
  const row = await findOffer(db, id);
  if (!row || !canViewOffer(actor, row)) throw new NotFoundError('capacity offer');
  return row;
}

async function visibleOffer(ctx: DomainContext, actor: Actor, id: string): Promise<CapacityOffer> {
  return presentOffer(actor, await seenOffer(ctx.db, actor, id), reportDay(ctx.clock.now()));
}

export async function getOffer(ctx: DomainContext, actor: Actor, id: string): Promise<CapacityOffer> {
  return visibleOffer(ctx, actor, id);
}

/** The offers of the caller's region (one commune's with `communeId`; those of today with `current=true`). */
export async function listRegionOffers(
  ctx: DomainContext,
  actor: Actor,
  query: CapacityOfferListQuery,
): Promise<CapacityOfferList> {
  if (!canListOffers(actor)) throw new ForbiddenError(onlyRegionMembersSeeOffers);
  const today = reportDay(ctx.clock.now());
  const rows = await listOffers(ctx.db, {
    regionId: actor.regionId,
    communeId: query.communeId,
    today: query.current === 'true' ? today : undefined,
  });
  return { items: rows.map((r) => presentOffer(actor, r, today)) };
}

export async function changeOffer(
  ctx: DomainContext,
  actor: Actor,
  id: string,
  body: CapacityOfferUpdate,
): Promise<CapacityOffer> {
  const seen = await seenOffer(ctx.db, actor, id);
  if (!canUpdateOffer(actor, seen)) throw new ForbiddenError(onlyOfferingManagers);
  const taskTypes = body.taskTypes ? distinct(body.taskTypes) : seen.taskTypes;
  const from = body.from ?? seen.fromDay;
  const to = body.to ?? seen.toDay;
  checkPeriod(from, to);
  if (body.taskTypes) await checkTaskTypes(ctx.db, taskTypes);
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    await lockCommuneOffers(tx, seen.communeId);
    await refuseOverlap(tx, actor, { communeId: seen.communeId, taskTypes, from, to, exceptId: id }, reportDay(now));
    await updateOffer(tx, id, {
      taskTypes,
      perDay: body.perDay ?? seen.perDay,
      fromDay: from,
      toDay: to,
      updatedAt: now,
    });
  });
  return visibleOffer(ctx, actor, id);
}

export async function withdrawOffer(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  const seen = await seenOffer(ctx.db, actor, id);
  if (!canDeleteOffer(actor, seen)) throw new ForbiddenError(onlyOfferingManagers);
  await deleteOffer(ctx.db, id);
}
