import { AppointmentsLink } from '../../../shared/schemas';
import { call } from './client';

/** The commune's secret calendar link (its managers and clerks; renewing is a manager's). */
export const appointmentsApi = {
  link: (communeId: string) => call(AppointmentsLink, `/communes/${communeId}/appointments-link`),
  renew: (communeId: string) => call(AppointmentsLink, `/communes/${communeId}/appointments-link`, { method: 'POST' }),
};
