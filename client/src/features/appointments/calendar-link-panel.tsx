import { useEffect, useState } from 'react';
import type { AppointmentsLink, Me } from '../../../../shared/schemas';
import { appointmentsApi } from '../../api/appointments';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

/**
 * The commune's secret calendar link, for its managers and clerks: the address to subscribe a calendar
 * to, a button to copy it and, for a manager, one to renew it (the old one stops working then).
 */
export function CalendarLinkPanel({ user }: { user: Me }) {
  const { t, formatDate } = useI18n();
  const problemText = useProblemText();
  const communeId = user.communeId;
  const [link, setLink] = useState<AppointmentsLink | undefined>();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();

  useEffect(() => {
    if (!communeId) return;
    appointmentsApi.link(communeId).then(setLink, (err: unknown) => setStatus({ ok: false, text: problemText(err) }));
  }, [communeId, problemText]);

  if (!communeId || (user.role !== 'manager' && user.role !== 'clerk')) return null;

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setStatus({ ok: true, text: t('appointments.copied') });
    } catch {
      setStatus({ ok: false, text: t('appointments.copyFailed') });
    }
  };

  const renew = async () => {
    if (!window.confirm(t('appointments.renewConfirm'))) return;
    try {
      setLink(await appointmentsApi.renew(communeId));
      setStatus({ ok: true, text: t('appointments.renewed') });
    } catch (err) {
      setStatus({ ok: false, text: problemText(err) });
    }
  };

  return (
    <section className="calendar-link" aria-labelledby="calendar-link-title">
      <h2 id="calendar-link-title">{t('appointments.calendar')}</h2>
      <p>{t('appointments.calendarIntro')}</p>
      {link ? (
        <>
          <label htmlFor="calendar-url">{t('appointments.calendarUrl')}</label>
          <input
            id="calendar-url"
            type="text"
            readOnly
            value={link.url}
            onFocus={(e) => e.currentTarget.select()}
            style={{ width: '100%', boxSizing: 'border-box' }}
          />
          {link.renewedAt && <p>{t('appointments.renewedAt', { at: formatDate(link.renewedAt) })}</p>}
          <p className="actions">
            <button type="button" onClick={() => void copy()}>
              {t('appointments.copy')}
            </button>{' '}
            {user.role === 'manager' && (
              <button type="button" className="secondary" onClick={() => void renew()}>
                {t('appointments.renew')}
              </button>
            )}
          </p>
        </>
      ) : (
        !status && <p>{t('appointments.loading')}</p>
      )}
      {status && (
        <p role={status.ok ? 'status' : 'alert'} className={status.ok ? undefined : 'error'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
