import type { AuditFilter, AuditKind } from '../../../../shared/schemas';
import { fieldMessage, type FieldProblem } from '../../i18n/field-messages';
import type { Locale } from '../../i18n/messages';
import { translate } from '../../i18n/translate';

/** The audit trail's filter form as typed: dates as the date inputs give them (`2026-11-24`). */
export interface AuditForm {
  kind: AuditKind | '';
  userId: string;
  taskId: string;
  from: string;
  to: string;
}

export const emptyAuditForm: AuditForm = { kind: '', userId: '', taskId: '', from: '', to: '' };

/** A date input's day, at the start of that day where the browser is (`null` when it is not a day). */
function localDay(day: string, offsetDays = 0): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays);
}

/**
 * The filter the API takes: a day's start for `from`, and the last millisecond of the `to` day, so that
 * "to 24 November" includes all of the 24th. Blank fields are left out; the server checks the rest.
 */
export function auditFilterOf(form: AuditForm): AuditFilter {
  const from = localDay(form.from);
  const dayAfter = localDay(form.to, 1);
  return {
    ...(form.kind ? { kind: form.kind } : {}),
    ...(form.userId.trim() ? { userId: form.userId.trim() } : {}),
    ...(form.taskId.trim() ? { taskId: form.taskId.trim() } : {}),
    ...(from ? { from: from.toISOString() } : {}),
    ...(dayAfter ? { to: new Date(dayAfter.getTime() - 1).toISOString() } : {}),
  };
}

/**
 * The field problems that the shared schemas word themselves (code `invalid`), said in `locale`: the
 * audit period's and the chain heads'. Any other problem goes through the catalogue's `fieldMessage`.
 */
export function auditFieldMessage(locale: Locale, problem: FieldProblem): string {
  if (problem.code === 'invalid') {
    if (problem.message === 'must not be before from') return translate(locale, 'audit.period.beforeFrom');
    const tooLong = /^must be at most (\d+) days after from$/.exec(problem.message);
    if (tooLong) return translate(locale, 'audit.period.tooLong', { max: tooLong[1] ?? '' });
    if (problem.message.startsWith('must be a sequence number and a hash'))
      return translate(locale, 'chain.headFormat');
  }
  return fieldMessage(locale, problem);
}
