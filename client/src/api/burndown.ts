import { Burndown } from '../../../shared/schemas';
import { call } from './client';

/** A commune's burn-down: read by the people of its region. */
export const burndownApi = {
  get: (communeId: string, hours: number) => call(Burndown, `/communes/${communeId}/burndown?hours=${hours}`),
};
