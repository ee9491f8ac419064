import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

export function LoginPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: User) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(expired ? t('sessionExpired') : undefined);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn((await api.login(username, password)).user);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 429) {
        const minutes = Math.max(1, Math.ceil(Number(/(\d+) minute/.exec(err.message)?.[1] ?? 15)));
        setError(t('throttled', { minutes }));
      } else if (err.status === 0) setError(t('networkError'));
      else setError(t('wrongPassword'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('signInTitle')}</h1>
      <p>{t('signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="username">{t('username')}</label>
        <input id="username" ref={first} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required
          aria-invalid={error ? true : undefined} aria-describedby={error ? 'login-error' : undefined} />
        <label htmlFor="password">{t('password')}</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required
          aria-invalid={error ? true : undefined} aria-describedby={error ? 'login-error' : undefined} />
        {error && <p id="login-error" className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{t('signIn')}</button>
      </form>
    </section>
  );
}
