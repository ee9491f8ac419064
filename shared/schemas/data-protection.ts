import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime, Limit } from './common';
import { LegalBasisText, TaskTypeKey } from './task-types';

export const AuditKind = z.enum(
  [
    'citizen_read',
    'sign_in',
    'sign_in_failed',
    'sign_out',
    'access_code_issued',
    'access_code_used',
    'account_created',
    'account_changed',
    'account_recovered',
    'recovery_confirmed',
    'second_factor_enrolled',
    'second_factor_reset',
    'second_factor_disabled',
    'recovery_code_used',
    'settings_changed',
    'citizen_erased',
    'export',
  ],
  { error: 'must be a kind of audit entry' },
);
export type AuditKind = z.infer<typeof AuditKind>;

/** One entry of the audit trail: who did what, about whom or which task, when. Never citizen data. */
export const AuditEntry = z
  .object({
    id: z.number().int(),
    /** Its place in the chain; null for the moment between its commit and its numbering. */
    seq: z.number().int().nullable(),
    kind: AuditKind,
    at: IsoDateTime,
    actorUserId: Id.nullable(),
    actorName: z.string().nullable(),
    actorCommuneId: Id.nullable(),
    subjectUserId: Id.nullable(),
    subjectName: z.string().nullable(),
    taskId: Id.nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

const DAY_MS = 86_400_000;

const auditFilters = {
  kind: AuditKind.optional(),
  userId: Id.optional(),
  taskId: Id.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
};

/** A period of at most a year, that ends after it starts. */
function checkPeriod(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (!q.from || !q.to) return;
  const span = Date.parse(q.to) - Date.parse(q.from);
  if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (span > limits.auditPeriodDaysMax * DAY_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `must be at most ${limits.auditPeriodDaysMax} days after from`,
    });
  }
}

/** The filters of the audit trail (for its CSV export too). */
export const AuditFilter = z.strictObject(auditFilters).superRefine(checkPeriod);
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = z
  .strictObject({ ...auditFilters, cursor: z.string().max(200).optional(), limit: Limit })
  .superRefine(checkPeriod);
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The state of one hash chain, as `GET /audit/verify` and `npm run verify-audit` report it. */
export const ChainReport = z
  .object({
    /** The last number handed out, by the counter. */
    lastSeq: z.number().int(),
    /** The numbered rows found. */
    count: z.number().int(),
    /** The chain's head: anchor it outside (print it, mail it) to detect a rewrite later. */
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    ok: z.boolean(),
    firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  })
  .meta({ id: 'ChainReport' });
export type ChainReport = z.infer<typeof ChainReport>;

export const AuditVerification = z
  .object({ checkedAt: IsoDateTime, events: ChainReport, audit: ChainReport })
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof AuditVerification>;

export const LegalBasis = z
  .object({
    taskType: TaskTypeKey,
    labelFr: z.string(),
    labelEn: z.string(),
    fr: z.string(),
    en: z.string(),
    /** The region words it otherwise than the platform. */
    regional: z.boolean(),
  })
  .meta({ id: 'LegalBasis' });

/** A region's data protection settings, as its DPO sees and sets them. */
export const DataProtectionSettings = z
  .object({
    regionId: Id,
    /** Days after a task is done or cancelled before its citizen data is erased. */
    citizenRetentionDays: z.number().int(),
    /** The platform's default (CITIZEN_RETENTION_DAYS), used when the region sets none. */
    defaultRetentionDays: z.number().int(),
    regional: z.boolean(),
    legalBases: z.array(LegalBasis),
  })
  .meta({ id: 'DataProtectionSettings' });
export type DataProtectionSettings = z.infer<typeof DataProtectionSettings>;

export const DataProtectionUpdate = z
  .strictObject({
    /** Null goes back to the platform's default. */
    citizenRetentionDays: z
      .number({ error: `must be a whole number of days from 1 to ${limits.retentionDaysMax}` })
      .int(`must be a whole number of days from 1 to ${limits.retentionDaysMax}`)
      .min(1, `must be a whole number of days from 1 to ${limits.retentionDaysMax}`)
      .max(limits.retentionDaysMax, `must be a whole number of days from 1 to ${limits.retentionDaysMax}`)
      .nullable()
      .optional(),
    legalBases: z
      .array(
        z.strictObject({
          taskType: TaskTypeKey,
          /** Both texts to word it for the region; both left out to go back to the platform's. */
          fr: LegalBasisText.min(1, 'is required').optional(),
          en: LegalBasisText.min(1, 'is required').optional(),
        }),
      )
      .max(200)
      .optional(),
  })
  .meta({ id: 'DataProtectionUpdate' });
export type DataProtectionUpdate = z.infer<typeof DataProtectionUpdate>;
