import { AuditKind, RecoveryMethod, Role, type AuditEntry } from '../../../../shared/schemas';
import type { Translate } from '../../i18n/translate';

/** What the details of an entry are said with: the catalogue, dates, and names for the ids they hold. */
export interface DetailContext {
  t: Translate;
  formatDate: (iso: string) => string;
  /** A person's name, when the trail shown so far names them. */
  userName: (id: string) => string | undefined;
  communeName: (id: string) => string | undefined;
  taskTypeLabel: (key: string) => string | undefined;
}

type Detail = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An id shortened for reading (the full id stays in the CSV export and the filters). */
export const shortId = (id: string) => id.slice(0, 8);

const changedFields = ['displayName', 'active', 'password', 'role', 'communeId', 'regionId'] as const;

function person(ctx: DetailContext, id: string): string {
  return ctx.userName(id) ?? shortId(id);
}

/** Any other value, readable rather than JSON: `key: value` pairs, lists joined. */
function plain(ctx: DetailContext, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return ctx.t(value ? 'audit.detail.yes' : 'audit.detail.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => plain(ctx, v)).join(', ');
  if (typeof value === 'object') return generic(ctx, value as Detail).join(', ');
  return '';
}

function generic(ctx: DetailContext, detail: Detail): string[] {
  return Object.entries(detail).map(([key, value]) => `${key}: ${plain(ctx, value)}`);
}

function roleText(ctx: DetailContext, value: unknown): string | undefined {
  const role = Role.safeParse(value);
  return role.success ? ctx.t(`role.${role.data}`) : text(value);
}

function methodText(ctx: DetailContext, value: unknown): string | undefined {
  const method = RecoveryMethod.safeParse(value);
  return method.success ? ctx.t(`recovery.method.${method.data}`) : text(value);
}

function secondFactorText(ctx: DetailContext, detail: Detail): string[] {
  if (detail.secondFactor === 'totp') return [ctx.t('audit.detail.withSecondFactor')];
  if (detail.secondFactor === 'recovery_code') return [ctx.t('audit.detail.withRecoveryCode')];
  return [];
}

function signIn(ctx: DetailContext, detail: Detail, refused: boolean): string[] {
  if (detail.method === 'password')
    return [
      ctx.t(refused ? 'audit.detail.wrongPassword' : 'audit.detail.withPassword'),
      ...secondFactorText(ctx, detail),
    ];
  if (detail.method === 'access_code')
    return [
      ctx.t(refused ? 'audit.detail.wrongAccessCode' : 'audit.detail.withAccessCode'),
      ...secondFactorText(ctx, detail),
    ];
  if (detail.method === 'second_factor' && refused)
    return [
      ctx.t(detail.reason === 'replayed' ? 'audit.detail.replayedSecondFactor' : 'audit.detail.wrongSecondFactor'),
    ];
  return generic(ctx, detail);
}

function accountCreated(ctx: DetailContext, detail: Detail): string[] {
  const parts: string[] = [];
  const role = roleText(ctx, detail.role);
  if (role) parts.push(ctx.t('audit.detail.role', { role }));
  const commune = text(detail.communeId);
  if (commune) parts.push(ctx.t('audit.detail.commune', { commune: ctx.communeName(commune) ?? shortId(commune) }));
  else if (text(detail.regionId)) parts.push(ctx.t('audit.detail.regionScope'));
  return parts;
}

function accountChanged(ctx: DetailContext, detail: Detail): string[] {
  if (!Array.isArray(detail.fields)) return generic(ctx, detail);
  const fields = detail.fields.map((f) =>
    changedFields.includes(f as (typeof changedFields)[number])
      ? ctx.t(`audit.detail.field.${f as (typeof changedFields)[number]}`)
      : plain(ctx, f),
  );
  return fields.length > 0 ? [ctx.t('audit.detail.changedFields', { fields: fields.join(', ') })] : [];
}

function accountRecovered(ctx: DetailContext, detail: Detail): string[] {
  const method = methodText(ctx, detail.method) ?? '';
  const by = text(detail.by);
  return [by ? ctx.t('audit.detail.recoveredBy', { method, name: person(ctx, by) }) : method];
}

function settingsChanged(ctx: DetailContext, detail: Detail): string[] {
  const parts: string[] = [];
  if (typeof detail.citizenRetentionDays === 'number')
    parts.push(ctx.t('audit.detail.retentionDays', { days: detail.citizenRetentionDays }));
  else if (detail.citizenRetentionDays === null) parts.push(ctx.t('audit.detail.retentionDefault'));
  if (Array.isArray(detail.legalBases)) {
    const types = detail.legalBases.map((k) => (typeof k === 'string' ? (ctx.taskTypeLabel(k) ?? k) : plain(ctx, k)));
    parts.push(ctx.t('audit.detail.legalBases', { types: types.join(', ') }));
  }
  return parts;
}

function exported(ctx: DetailContext, detail: Detail): string[] {
  const filters: string[] = [];
  const kind = AuditKind.safeParse(detail.kind);
  if (kind.success) filters.push(ctx.t('audit.detail.exportKind', { kind: ctx.t(`audit.kind.${kind.data}`) }));
  const user = text(detail.userId);
  if (user) filters.push(ctx.t('audit.detail.exportUser', { name: person(ctx, user) }));
  const task = text(detail.taskId);
  if (task) filters.push(ctx.t('audit.detail.exportTask', { id: shortId(task) }));
  const from = text(detail.from);
  if (from) filters.push(ctx.t('audit.detail.exportFrom', { date: ctx.formatDate(from) }));
  const to = text(detail.to);
  if (to) filters.push(ctx.t('audit.detail.exportTo', { date: ctx.formatDate(to) }));
  const what = detail.of === 'audit' ? ctx.t('audit.detail.exportOf') : plain(ctx, detail.of);
  return filters.length > 0 ? [what, ctx.t('audit.detail.exportFilters', { filters: filters.join(', ') })] : [what];
}

/** Each kind's details, in words. */
const describe: Record<AuditKind, (ctx: DetailContext, detail: Detail) => string[]> = {
  citizen_read: (ctx) => [ctx.t('audit.detail.citizenRead')],
  sign_in: (ctx, d) => signIn(ctx, d, false),
  sign_in_failed: (ctx, d) => signIn(ctx, d, true),
  sign_out: (ctx, d) => generic(ctx, d),
  access_code_issued: (ctx, d) => {
    const until = text(d.expiresAt);
    return until ? [ctx.t('audit.detail.validUntil', { date: ctx.formatDate(until) })] : generic(ctx, d);
  },
  access_code_used: (ctx, d) => {
    const by = text(d.issuedBy);
    return by ? [ctx.t('audit.detail.issuedBy', { name: person(ctx, by) })] : generic(ctx, d);
  },
  account_created: accountCreated,
  account_changed: accountChanged,
  account_recovered: accountRecovered,
  recovery_confirmed: (ctx, d) =>
    typeof d.recoveries === 'number'
      ? [ctx.t('audit.detail.confirmedCount', { count: d.recoveries })]
      : generic(ctx, d),
  second_factor_enrolled: (ctx, d) => generic(ctx, d),
  second_factor_reset: (ctx, d) => generic(ctx, d),
  second_factor_disabled: (ctx, d) => generic(ctx, d),
  recovery_code_used: (ctx, d) =>
    typeof d.left === 'number' ? [ctx.t('audit.detail.recoveryCodesLeft', { count: d.left })] : generic(ctx, d),
  settings_changed: settingsChanged,
  citizen_erased: (ctx, d) => (d.reason === 'retention' ? [ctx.t('audit.detail.erasedRetention')] : generic(ctx, d)),
  export: exported,
};

/** An entry's details as a reader wants them: words, names and dates, never JSON. */
export function auditDetailText(entry: Pick<AuditEntry, 'kind' | 'detail'>, ctx: DetailContext): string {
  return describe[entry.kind](ctx, entry.detail).join(' · ');
}

/** Names for the ids that the entries shown so far carry (as actor or subject): for details that name an id. */
export function namesOf(entries: readonly AuditEntry[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of entries) {
    if (e.actorUserId && e.actorName) names.set(e.actorUserId, e.actorName);
    if (e.subjectUserId && e.subjectName) names.set(e.subjectUserId, e.subjectName);
  }
  return names;
}
