import {
  BulkResult,
  IntegrationToken,
  IntegrationTokenCreated,
  IntegrationTokenList,
  type IntegrationTokenCreateInput,
} from '../../../shared/schemas';
import { call, json } from './client';

/** Continuity: posting on behalf of a commune in incident, and the integrations' API tokens. */
export const continuityApi = {
  /** A CSV batch for a commune (the coordinator's, on behalf of a commune in incident). */
  bulkCsvFor: (csv: string, dryRun: boolean, requestingCommuneId: string | undefined) => {
    const params = new URLSearchParams({ dryRun: String(dryRun) });
    if (requestingCommuneId) params.set('requestingCommuneId', requestingCommuneId);
    return call(BulkResult, `/tasks/bulk?${params.toString()}`, {
      method: 'POST',
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
  },
  tokens: async (communeId?: string) =>
    (await call(IntegrationTokenList, `/integrations/tokens${communeId ? `?communeId=${communeId}` : ''}`)).items,
  createToken: (input: IntegrationTokenCreateInput) =>
    call(IntegrationTokenCreated, '/integrations/tokens', json(input)),
  revokeToken: (id: string) => call(IntegrationToken, `/integrations/tokens/${id}/revoke`, { method: 'POST' }),
};
