import { RegionSettings, type RegionSettingsUpdate } from '../../../shared/schemas';
import { call, json } from './client';

/** The region's coordination settings: read by the people of the region, changed by its coordinator. */
export const coordinationApi = {
  settings: (regionId: string) => call(RegionSettings, `/regions/${regionId}/settings`),
  updateSettings: (regionId: string, update: RegionSettingsUpdate) =>
    call(RegionSettings, `/regions/${regionId}/settings`, json(update, 'PATCH')),
};
