import { z } from 'zod';
import { AuditFilter, AuditPage, AuditQuery, AuditVerification } from '../../../shared/schemas';
import { isAdmin, type Actor } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { isDpo } from '../data-protection/data-protection-policy';
import {
  auditTrail,
  exportAuditTrail,
  onlyDposAndAdminVerify,
  onlyDposReadAudit,
  parseHead,
  verifyChains,
} from './audit';

const tag = 'audit';

/** The DPOs and the admin check the chains; they hold no personal data, only hashes and counts. */
function canVerifyChains(actor: Actor): boolean {
  return isDpo(actor) || isAdmin(actor);
}

const Head = z.string().max(100);

export const auditEndpoints = [
  endpoint({
    method: 'get',
    path: '/audit',
    tag,
    summary: "The region's audit trail, latest first: citizen reads, access codes, accounts, sign-ins… (DPO)",
    permission: permission.policy(isDpo, onlyDposReadAudit),
    query: AuditQuery,
    responses: { 200: { description: 'A page of entries', schema: AuditPage } },
    handle: ({ ctx, actor, query }) => auditTrail(ctx, actor, query),
  }),

  endpoint({
    method: 'get',
    path: '/audit/export.csv',
    tag,
    summary: "The region's audit trail as CSV, with the same filters (DPO); the export is recorded",
    permission: permission.policy(isDpo, onlyDposReadAudit),
    query: AuditFilter,
    responses: { 200: { description: 'CSV, formulas escaped', schema: z.string(), contentType: 'text/csv' } },
    handle: ({ ctx, actor, query, res }) => exportAuditTrail(ctx, actor, query, res),
  }),

  endpoint({
    method: 'get',
    path: '/audit/verify',
    tag,
    summary: 'Check the event and audit chains from the first link; give heads anchored earlier to hold them too',
    permission: permission.policy(canVerifyChains, onlyDposAndAdminVerify),
    query: z.strictObject({ eventsHead: Head.optional(), auditHead: Head.optional() }),
    responses: {
      200: { description: 'Each chain: its head, and its first broken link if any', schema: AuditVerification },
    },
    handle: ({ ctx, query }) =>
      verifyChains(ctx, {
        events: parseHead(query.eventsHead, 'eventsHead'),
        audit: parseHead(query.auditHead, 'auditHead'),
      }),
  }),
];
