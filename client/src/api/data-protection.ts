import { z } from 'zod';
import {
  AuditPage,
  AuditVerification,
  DataProtectionSettings,
  PendingRecoveryList,
  type AuditFilter,
  type DataProtectionUpdate,
} from '../../../shared/schemas';
import { call, json } from './client';

/** The query string of the audit trail's filters (and paging): only the fields that say something. */
export function auditQueryString(filter: AuditFilter, page: { cursor?: string; limit?: number } = {}): string {
  const params = new URLSearchParams();
  const fields: [string, string | number | undefined][] = [
    ['kind', filter.kind],
    ['userId', filter.userId],
    ['taskId', filter.taskId],
    ['from', filter.from],
    ['to', filter.to],
    ['cursor', page.cursor],
    ['limit', page.limit],
  ];
  for (const [key, value] of fields) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

/** Heads recorded at an earlier check, as the verification takes them (`SEQ:HASH`); blanks are left out. */
export function verifyQueryString(heads: { eventsHead: string; auditHead: string }): string {
  const params = new URLSearchParams();
  if (heads.eventsHead.trim()) params.set('eventsHead', heads.eventsHead.trim());
  if (heads.auditHead.trim()) params.set('auditHead', heads.auditHead.trim());
  return params.toString();
}

const Confirmed = z.object({ confirmed: z.number().int() });
const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/** The DPO's calls (audit trail, chain check, settings) and the second person's (recoveries). */
export const dataProtectionApi = {
  audit: (filter: AuditFilter, cursor?: string) =>
    call(AuditPage, withQuery('/audit', auditQueryString(filter, { cursor }))),
  /** The CSV export of the same filters: a plain link, so the browser downloads it with the session cookie. */
  auditCsvHref: (filter: AuditFilter) => withQuery('/api/v1/audit/export.csv', auditQueryString(filter)),
  verify: (heads: { eventsHead: string; auditHead: string }) =>
    call(AuditVerification, withQuery('/audit/verify', verifyQueryString(heads))),
  settings: (regionId: string) => call(DataProtectionSettings, `/regions/${regionId}/data-protection`),
  updateSettings: (regionId: string, update: DataProtectionUpdate) =>
    call(DataProtectionSettings, `/regions/${regionId}/data-protection`, json(update, 'PATCH')),
  recoveries: async () => (await call(PendingRecoveryList, '/recoveries')).items,
  confirmRecovery: (id: string) => call(Confirmed, `/recoveries/${id}/confirm`, { method: 'POST' }),
};
