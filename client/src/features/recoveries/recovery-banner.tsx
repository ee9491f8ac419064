import { useState } from 'react';
import type { Me } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import { recoveryBannerKey, recoveryNoticeLines } from './recovery-text';
import '../data-protection/data-protection.css';

function dismissed(key: string): boolean {
  try {
    return sessionStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/**
 * Tells the owner of an account that someone else gave it a way in (how, by whom, when) and whether a
 * second person confirmed it; while it waits, that citizen data stays hidden. Hidden for the session
 * on request, until what it says changes.
 */
export function RecoveryBanner({ me }: { me: Me }) {
  const { t, formatDate } = useI18n();
  const key = recoveryBannerKey(me);
  const [hidden, setHidden] = useState<string>();
  if (!key || hidden === key || dismissed(key)) return null;

  const hide = () => {
    try {
      sessionStorage.setItem(key, '1');
    } catch {
      // Storage refused (private mode): hidden for this page only.
    }
    setHidden(key);
  };

  return (
    <section
      className={`recovery-banner ${me.citizenBarred ? 'barred' : 'confirmed'}`}
      aria-labelledby="recovery-banner-title"
    >
      {/* Not a heading: it comes before the page's own title. */}
      <p id="recovery-banner-title" className="banner-title">
        {t('recovered.title')}
      </p>
      {recoveryNoticeLines(t, formatDate, me).map((line) => (
        <p key={line}>{line}</p>
      ))}
      <button type="button" className="secondary" onClick={hide}>
        {t('recovered.dismiss')}
      </button>
    </section>
  );
}
