import { z } from 'zod';
import {
  Burndown,
  BurndownQuery,
  Commune,
  CommuneCreate,
  CommuneList,
  CommuneListQuery,
  CommuneLoad,
  CommuneUpdate,
  Id,
  Region,
  RegionCreate,
  RegionList,
  RegionUpdate,
} from '../../../shared/schemas';
import { isAdmin, isRegionMember } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { communeBurndown } from './burndown';
import {
  changeCommune,
  communeLoad,
  createCommune,
  createRegion,
  listCommunesFor,
  listRegionsFor,
  onlyRegionMembersSeeLoads,
  regionLoad,
  renameRegionTo,
} from './communes';
import { msg } from '../../core/messages';

const onlyAdmin = msg('only_admin');
const CommuneParams = z.object({ id: Id.describe('commune id') });
const RegionParams = z.object({ id: Id.describe('region id') });

/** Regions, communes and their loads. */
export const communesEndpoints = [
  endpoint({
    method: 'get',
    path: '/regions',
    tag: 'regions',
    summary: 'Regions you may see',
    permission: permission.signedIn,
    responses: {
      200: { description: 'Your region; every region for the admin', schema: RegionList },
    },
    handle: ({ ctx, actor }) => listRegionsFor(ctx, actor),
  }),

  endpoint({
    method: 'post',
    path: '/regions',
    tag: 'regions',
    summary: 'Create a region (admin)',
    permission: permission.policy(isAdmin, onlyAdmin),
    body: RegionCreate,
    responses: { 201: { description: 'Created', schema: Region } },
    problems: { 409: 'A region of that name exists already' },
    handle: ({ ctx, body }) => createRegion(ctx, body.name),
  }),

  endpoint({
    method: 'patch',
    path: '/regions/:id',
    tag: 'regions',
    summary: 'Rename a region (admin)',
    permission: permission.policy(isAdmin, onlyAdmin),
    params: RegionParams,
    body: RegionUpdate,
    responses: { 200: { description: 'The region as it is now', schema: Region } },
    problems: { 409: 'A region of that name exists already' },
    handle: ({ ctx, params, body }) => renameRegionTo(ctx, params.id, body.name),
  }),

  endpoint({
    method: 'get',
    path: '/communes',
    tag: 'communes',
    summary: 'Communes of your region (admin: all, or one region with regionId) with their status',
    permission: permission.signedIn,
    query: CommuneListQuery,
    responses: { 200: { description: 'The communes', schema: CommuneList } },
    handle: ({ ctx, actor, query }) => listCommunesFor(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/communes',
    tag: 'communes',
    summary: 'Create a commune (admin)',
    permission: permission.policy(isAdmin, onlyAdmin),
    body: CommuneCreate,
    responses: { 201: { description: 'Created', schema: Commune } },
    problems: { 409: 'A commune with that code exists already' },
    handle: ({ ctx, body }) => createCommune(ctx, body),
  }),

  endpoint({
    method: 'patch',
    path: '/communes/:id',
    tag: 'communes',
    summary: "Change a commune's name, code, region or place (admin)",
    permission: permission.policy(isAdmin, onlyAdmin),
    params: CommuneParams,
    body: CommuneUpdate,
    responses: { 200: { description: 'The commune as it is now', schema: Commune } },
    problems: {
      409: 'Another commune has that code, or the commune has work under way and cannot change region',
    },
    handle: ({ ctx, params, body }) => changeCommune(ctx, params.id, body),
  }),

  endpoint({
    method: 'get',
    path: '/communes/load',
    tag: 'communes',
    summary: "Every commune's load in your region",
    permission: permission.policy(isRegionMember, onlyRegionMembersSeeLoads),
    responses: { 200: { description: 'The loads', schema: z.object({ items: z.array(CommuneLoad) }) } },
    handle: ({ ctx, actor }) => regionLoad(ctx, actor),
  }),

  endpoint({
    method: 'get',
    path: '/communes/:id/load',
    tag: 'communes',
    summary: "A commune's load",
    permission: permission.signedIn,
    params: CommuneParams,
    responses: { 200: { description: 'The load', schema: CommuneLoad } },
    handle: ({ ctx, actor, params }) => communeLoad(ctx, actor, params.id),
  }),

  endpoint({
    method: 'get',
    path: '/communes/:id/burndown',
    tag: 'communes',
    summary:
      "A commune's burn-down: its backlog at the end of each of the last `hours` hours, posted, done and cancelled each hour, the rates of the last 24 hours and when the backlog reaches zero at them (people of its region)",
    permission: permission.signedIn,
    params: CommuneParams,
    query: BurndownQuery,
    responses: { 200: { description: 'The burn-down', schema: Burndown } },
    handle: ({ ctx, actor, params, query }) => communeBurndown(ctx, actor, params.id, query.hours),
  }),
];
