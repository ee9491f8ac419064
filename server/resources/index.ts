import type { Endpoint } from '../http/endpoint';
import { appointmentsEndpoints } from './appointments/appointments-endpoints';
import { accessCodesEndpoints } from './access-codes/access-codes-endpoints';
import { accountsEndpoints } from './accounts/accounts-endpoints';
import { capacityOffersEndpoints } from './capacity-offers/capacity-offers-endpoints';
import { auditEndpoints } from './audit/audit-endpoints';
import { authEndpoints } from './auth/auth-endpoints';
import { changesEndpoints } from './changes/changes-endpoints';
import { coordinationEndpoints } from './coordination/coordination-endpoints';
import { communesEndpoints } from './communes/communes-endpoints';
import { drillsEndpoints } from './drills/drills-endpoints';
import { dataProtectionEndpoints } from './data-protection/data-protection-endpoints';
import { notificationsEndpoints } from './notifications/notifications-endpoints';
import { webhooksEndpoints } from './webhooks/webhooks-endpoints';
import { journalEndpoints } from './journal/journal-endpoints';
import { incidentsEndpoints } from './incidents/incidents-endpoints';
import { integrationsEndpoints } from './integrations/integrations-endpoints';
import { recoveriesEndpoints } from './recoveries/recoveries-endpoints';
import { runSheetsEndpoints } from './run-sheets/run-sheets-endpoints';
import { reportsEndpoints } from './reports/reports-endpoints';
import { secondFactorEndpoints } from './second-factor/second-factor-endpoints';
import { suggestionsEndpoints } from './suggestions/suggestions-endpoints';
import { taskTypesEndpoints } from './task-types/task-types-endpoints';
import { taskActionsEndpoints } from './tasks/task-actions-endpoints';
import { tasksEndpoints } from './tasks/tasks-endpoints';
import { trackingEndpoints } from './tracking/tracking-endpoints';
import { transfersEndpoints } from './transfers/transfers-endpoints';

/**
 * Every endpoint of the API, declared once: the router, the OpenAPI document and the authorization
 * matrix test are all built from this list. Express tries routes in this order, so a fixed path
 * (`/tasks/bulk`) comes before a parameter (`/tasks/:id`) of the same shape.
 */
export const endpoints: readonly Endpoint[] = [
  ...authEndpoints,
  ...secondFactorEndpoints,
  ...suggestionsEndpoints,
  ...tasksEndpoints,
  ...taskActionsEndpoints,
  ...transfersEndpoints,
  ...capacityOffersEndpoints,
  ...runSheetsEndpoints,
  ...communesEndpoints,
  ...appointmentsEndpoints,
  ...journalEndpoints,
  ...taskTypesEndpoints,
  ...incidentsEndpoints,
  ...changesEndpoints,
  ...accountsEndpoints,
  ...accessCodesEndpoints,
  ...recoveriesEndpoints,
  ...auditEndpoints,
  ...dataProtectionEndpoints,
  ...reportsEndpoints,
  ...integrationsEndpoints,
  ...trackingEndpoints,
  ...coordinationEndpoints,
  ...notificationsEndpoints,
  ...webhooksEndpoints,
  ...drillsEndpoints,
];
