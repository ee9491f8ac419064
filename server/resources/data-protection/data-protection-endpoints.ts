import { z } from 'zod';
import { DataProtectionSettings, DataProtectionUpdate, Id } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { changeDataProtection, dataProtectionSettings, onlyDpos } from './data-protection';
import { isDpo } from './data-protection-policy';

const tag = 'data-protection';
const RegionParams = z.object({ id: Id.describe('region id') });

export const dataProtectionEndpoints = [
  endpoint({
    method: 'get',
    path: '/regions/:id/data-protection',
    tag,
    summary: "The region's retention of citizen data and its legal bases (DPO)",
    permission: permission.policy(isDpo, onlyDpos),
    params: RegionParams,
    responses: { 200: { description: 'The settings', schema: DataProtectionSettings } },
    handle: ({ ctx, actor, params }) => dataProtectionSettings(ctx, actor, params.id),
  }),

  endpoint({
    method: 'patch',
    path: '/regions/:id/data-protection',
    tag,
    summary: "Set the region's retention (1 to 3650 days, null for the default) and word its legal bases (DPO)",
    permission: permission.policy(isDpo, onlyDpos),
    params: RegionParams,
    body: DataProtectionUpdate,
    responses: { 200: { description: 'The settings as they are now', schema: DataProtectionSettings } },
    handle: ({ ctx, actor, params, body }) => changeDataProtection(ctx, actor, params.id, body),
  }),
];
