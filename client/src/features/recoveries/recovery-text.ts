import type { Me, Problem } from '../../../../shared/schemas';
import type { Locale, MessageKey } from '../../i18n/messages';
import { problemMessage } from '../../i18n/problem-messages';
import { translate, type Translate } from '../../i18n/translate';

/** What the owner of a recovered account is told: how, by whom, when, and whether a second person confirmed. */
export function recoveryNoticeLines(
  t: Translate,
  formatDate: (iso: string) => string,
  me: Pick<Me, 'recovery' | 'citizenBarred'>,
): string[] {
  const lines: string[] = [];
  const r = me.recovery;
  if (r) {
    lines.push(t(`recovered.how.${r.method}`, { name: r.recoveredByName, date: formatDate(r.recoveredAt) }));
    lines.push(
      r.confirmedAt && r.confirmedByName
        ? t('recovered.confirmed', { name: r.confirmedByName, date: formatDate(r.confirmedAt) })
        : t('recovered.unconfirmed'),
    );
  }
  if (me.citizenBarred) lines.push(t('recovered.barred'));
  if (r && !r.confirmedAt) lines.push(t('recovered.notYou'));
  return lines;
}

/**
 * The key under which the banner is dismissed for the session: it names the state shown, so that a
 * new recovery, or its confirmation, shows the banner again. Undefined when there is nothing to show.
 */
export function recoveryBannerKey(me: Pick<Me, 'id' | 'recovery' | 'citizenBarred'>): string | undefined {
  if (!me.recovery && !me.citizenBarred) return undefined;
  const r = me.recovery;
  return `entraide.recovery-banner.${me.id}.${r?.recoveredAt ?? ''}.${r?.confirmedAt ?? ''}.${String(me.citizenBarred)}`;
}

/** The server's reasons for refusing a confirmation, by their codes. */
const refusalCodes: Record<string, MessageKey> = {
  recovery_own_account: 'recoveries.refused.own',
  recovery_given_by_you: 'recoveries.refused.gaveAccess',
};
/** The endpoint's own refusal shares the `forbidden` code: known by its English words. */
const refusals: Record<string, MessageKey> = {
  "Only the region's DPO or a manager of the commune, whose own account is confirmed, can confirm a recovery.":
    'recoveries.refused.notSecond',
};

/** Why a confirmation (or the list of recoveries) was refused, as the server says it, in `locale`. */
export function recoveryRefusal(locale: Locale, problem: Problem): string {
  if (problem.code === 'already_confirmed') return translate(locale, 'recoveries.refused.already_confirmed');
  if (problem.code === 'not_found') return translate(locale, 'recoveries.refused.notFound');
  const known =
    (problem.code ? refusalCodes[problem.code] : undefined) ?? (problem.detail ? refusals[problem.detail] : undefined);
  return known ? translate(locale, known) : problemMessage(locale, problem);
}
