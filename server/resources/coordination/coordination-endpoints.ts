import { z } from 'zod';
import { Id, RegionSettings, RegionSettingsUpdate } from '../../../shared/schemas';
import { isRegionMember } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { changeRegionSettings, onlyCoordinatorsChange, onlyRegionMembersRead, regionSettingsFor } from './coordination';
import { isCoordinator } from './coordination-policy';

const tag = 'coordination';
const RegionParams = z.object({ id: Id.describe('region id') });

export const coordinationEndpoints = [
  endpoint({
    method: 'get',
    path: '/regions/:id/settings',
    tag,
    summary:
      "The region's coordination settings: cap of active claims per commune, transfer timeout, stale claims, " +
      'reminders (the history of changes for the coordinator)',
    permission: permission.policy(isRegionMember, onlyRegionMembersRead),
    params: RegionParams,
    responses: { 200: { description: 'The settings in force', schema: RegionSettings } },
    handle: ({ ctx, actor, params }) => regionSettingsFor(ctx, actor, params.id),
  }),

  endpoint({
    method: 'patch',
    path: '/regions/:id/settings',
    tag,
    summary: "Change the region's coordination settings (coordinator); null goes back to the default; recorded",
    permission: permission.policy(isCoordinator, onlyCoordinatorsChange),
    params: RegionParams,
    body: RegionSettingsUpdate,
    responses: { 200: { description: 'The settings as they are now', schema: RegionSettings } },
    handle: ({ ctx, actor, params, body }) => changeRegionSettings(ctx, actor, params.id, body),
  }),
];
