import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { AccessCodeLoginRequest, type Me } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { SecondFactorStep } from './second-factor-step';

/** Why a sign-in was refused, in the reader's language: throttled, unreachable, or `wrong`. */
export function refusal(
  err: unknown,
  t: ReturnType<typeof useI18n>['t'],
  wrong: 'wrongPassword' | 'wrongCode' | 'security.wrongCode' | 'security.wrongRecoveryCode',
): string {
  if (!(err instanceof ApiError)) throw err;
  if (err.status === 429)
    return t('throttled', { minutes: Math.max(1, Math.ceil(Number(/(\d+) minute/.exec(err.message)?.[1] ?? 15))) });
  if (err.status === 0) return t('networkError');
  return t(wrong);
}

export function LoginPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(expired ? t('sessionExpired') : undefined);
  const [busy, setBusy] = useState(false);
  const [withCode, setWithCode] = useState(false);
  const [secondStep, setSecondStep] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), [secondStep]);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.login(username, password);
      if ('user' in answer) onSignedIn(answer.user);
      else setSecondStep(true);
    } catch (err) {
      setError(refusal(err, t, 'wrongPassword'));
    } finally {
      setBusy(false);
    }
  };

  if (secondStep)
    return (
      <SecondFactorStep
        onSignedIn={onSignedIn}
        onCancel={() => {
          setPassword('');
          setSecondStep(false);
        }}
      />
    );
  if (withCode) return <CodeLogin onSignedIn={onSignedIn} onCancel={() => setWithCode(false)} />;

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('signInTitle')}</h1>
      <p>{t('signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="username">{t('username')}</label>
        <input
          id="username"
          ref={first}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        <label htmlFor="password">{t('password')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        {error && (
          <p id="login-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
      <p>
        <button type="button" className="link" onClick={() => setWithCode(true)}>
          {t('haveCode')}
        </button>
      </p>
    </section>
  );
}

/** Signing in with a one-time access code read out by the coordinator, and choosing a new password. */
function CodeLogin({ onSignedIn, onCancel }: { onSignedIn: (user: Me) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [secondStep, setSecondStep] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), [secondStep]);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const parsed = AccessCodeLoginRequest.safeParse({ username, code, newPassword });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      setError(field === 'code' ? t('badCode') : field === 'newPassword' ? t('shortPassword') : t('wrongCode'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.loginWithCode(username, code, newPassword);
      if ('user' in answer) onSignedIn(answer.user);
      else setSecondStep(true);
    } catch (err) {
      setError(refusal(err, t, 'wrongCode'));
    } finally {
      setBusy(false);
    }
  };

  // The new password is set and the access code used: the second factor is still asked.
  if (secondStep) return <SecondFactorStep onSignedIn={onSignedIn} onCancel={onCancel} />;

  const invalid = error ? ({ 'aria-invalid': true, 'aria-describedby': 'code-error' } as const) : {};
  return (
    <section className="login" aria-labelledby="code-title">
      <h1 id="code-title">{t('haveCode')}</h1>
      <p>{t('codeIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="code-username">{t('username')}</label>
        <input
          id="code-username"
          ref={first}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          {...invalid}
        />
        <label htmlFor="access-code">{t('accessCode')}</label>
        <input
          id="access-code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          required
          {...invalid}
        />
        <label htmlFor="new-password">{t('newPassword')}</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          required
          minLength={10}
          {...invalid}
        />
        {error && (
          <p id="code-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signInWithCode')}
        </button>
      </form>
      <p>
        <button type="button" className="link" onClick={onCancel}>
          {t('havePassword')}
        </button>
      </p>
    </section>
  );
}
