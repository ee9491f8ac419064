import { useEffect, useState } from 'react';
import type { User } from '../../shared/schemas';
import { api, ApiError } from './api/client';
import { LoginPage } from './features/auth/login-page';
import { BoardPage } from './features/board/board-page';
import { useI18n } from './i18n/i18n';
import type { Locale } from './i18n/messages';

type Session = { state: 'loading' } | { state: 'signed-out'; expired: boolean } | { state: 'signed-in'; user: User };

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [session, setSession] = useState<Session>({ state: 'loading' });

  useEffect(() => {
    api.me().then(
      (user) => setSession({ state: 'signed-in', user }),
      (err: unknown) => setSession({ state: 'signed-out', expired: err instanceof ApiError && err.problem.detail?.includes('expired') === true }),
    );
  }, []);

  const signOut = async () => {
    await api.logout();
    setSession({ state: 'signed-out', expired: false });
  };

  return (
    <>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        {session.state === 'signed-in' && (
          <span className="who">{t('signedInAs', { name: session.user.displayName, commune: session.user.communeName ?? session.user.regionName ?? '' })}</span>
        )}
        <label className="lang">
          <span className="visually-hidden">{t('language')}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('language')}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
        {session.state === 'signed-in' && <button type="button" onClick={() => void signOut()}>{t('signOut')}</button>}
      </header>
      <main id="main">
        {session.state === 'signed-out' && <LoginPage expired={session.expired} onSignedIn={(user) => setSession({ state: 'signed-in', user })} />}
        {session.state === 'signed-in' && <BoardPage user={session.user} />}
      </main>
    </>
  );
}
