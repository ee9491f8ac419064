import { z } from 'zod';
import {
  CapacityOffer,
  CapacityOfferCreate,
  CapacityOfferList,
  CapacityOfferListQuery,
  CapacityOfferUpdate,
  Id,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import {
  changeOffer,
  createOffer,
  getOffer,
  listRegionOffers,
  onlyManagersOffer,
  onlyOfferingManagers,
  onlyRegionMembersSeeOffers,
  withdrawOffer,
} from './capacity-offers';
import { canListOffers, canOfferCapacity, canWithdrawOffers } from './capacity-offers-policy';

const tag = 'capacity-offers';
const OfferParams = z.object({ id: Id.describe('capacity offer id') });
const overlap =
  'Another offer of the commune shares a day and a task type with this one (`offer_overlap`, with `current`: that offer)';

/** Helping communes' capacity offers (SPEC.md, Crisis scale). */
export const capacityOffersEndpoints = [
  endpoint({
    method: 'post',
    path: '/capacity-offers',
    tag,
    summary:
      "Offer my commune's capacity (manager): so many tasks a day of these types, from one day to another " +
      '(both included, Europe/Brussels, at most 366 days)',
    permission: permission.policy(canOfferCapacity, onlyManagersOffer),
    body: CapacityOfferCreate,
    responses: { 201: { description: 'The offer, with what the commune used of it', schema: CapacityOffer } },
    problems: { 409: overlap },
    handle: ({ ctx, actor, body }) => createOffer(ctx, actor, body),
  }),

  endpoint({
    method: 'get',
    path: '/capacity-offers',
    tag,
    summary:
      "My region's capacity offers, offered against used (one commune's with `communeId`; today's with `current=true`)",
    permission: permission.policy(canListOffers, onlyRegionMembersSeeOffers),
    query: CapacityOfferListQuery,
    responses: { 200: { description: 'The offers', schema: CapacityOfferList } },
    handle: ({ ctx, actor, query }) => listRegionOffers(ctx, actor, query),
  }),

  endpoint({
    method: 'get',
    path: '/capacity-offers/:id',
    tag,
    summary: 'A capacity offer of my region, offered against used',
    permission: permission.policy(canListOffers, onlyRegionMembersSeeOffers),
    params: OfferParams,
    responses: { 200: { description: 'The offer', schema: CapacityOffer } },
    handle: ({ ctx, actor, params }) => getOffer(ctx, actor, params.id),
  }),

  endpoint({
    method: 'patch',
    path: '/capacity-offers/:id',
    tag,
    summary: "Change my commune's offer (its managers): task types, tasks a day or period",
    permission: permission.policy(canOfferCapacity, onlyOfferingManagers),
    params: OfferParams,
    body: CapacityOfferUpdate,
    responses: { 200: { description: 'The offer as it is now', schema: CapacityOffer } },
    problems: { 409: overlap },
    handle: ({ ctx, actor, params, body }) => changeOffer(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'delete',
    path: '/capacity-offers/:id',
    tag,
    summary: "Withdraw an offer: the offering commune's managers, or the region's coordinator",
    permission: permission.policy(canWithdrawOffers, onlyOfferingManagers),
    params: OfferParams,
    responses: { 204: { description: 'Withdrawn' } },
    handle: ({ ctx, actor, params }) => withdrawOffer(ctx, actor, params.id),
  }),
];
