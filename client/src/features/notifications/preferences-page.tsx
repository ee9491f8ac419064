import { useState, type SubmitEvent } from 'react';
import type { Me } from '../../../../shared/schemas';
import { notificationsApi } from '../../api/notifications';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { href } from '../../router';
import { CalendarLinkPanel } from '../appointments/calendar-link-panel';

/** The user's own preferences: the language of their notifications and e-mails, and their address. */
export function PreferencesPage({ user, onChanged }: { user: Me; onChanged: (user: Me) => void }) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const [locale, setLocale] = useState(user.locale);
  const [email, setEmail] = useState(user.email ?? '');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      const me = await notificationsApi.updatePreferences({ locale, email: email.trim() === '' ? null : email.trim() });
      onChanged(me);
      setStatus({ ok: true, text: t('prefs.saved') });
    } catch (err) {
      setStatus({ ok: false, text: problemText(err) });
    }
  };

  return (
    <section className="preferences">
      <h1>{t('prefs.title')}</h1>
      <p>{t('prefs.intro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <label htmlFor="pref-locale">{t('prefs.locale')}</label>
        <select id="pref-locale" value={locale} onChange={(e) => setLocale(e.target.value === 'en' ? 'en' : 'fr')}>
          <option value="fr">Français</option>
          <option value="en">English</option>
        </select>
        <label htmlFor="pref-email">{t('prefs.email')}</label>
        <input
          id="pref-email"
          type="email"
          autoComplete="email"
          value={email}
          aria-describedby="pref-email-hint"
          onChange={(e) => setEmail(e.target.value)}
        />
        <p id="pref-email-hint">{t('prefs.emailHint')}</p>
        <button type="submit">{t('prefs.save')}</button>
      </form>
      {status && (
        <p role={status.ok ? 'status' : 'alert'} className={status.ok ? undefined : 'error'}>
          {status.text}
        </p>
      )}
      <CalendarLinkPanel user={user} />
      {(user.role === 'manager' || user.role === 'coordinator') && (
        <p>
          <a href={href({ page: 'webhooks' })}>{t('webhooks.link')}</a>
        </p>
      )}
    </section>
  );
}
