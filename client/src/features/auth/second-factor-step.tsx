import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { RecoveryCodeInput, TotpCode, type Me } from '../../../../shared/schemas';
import { secondFactorApi } from '../../api/second-factor';
import { useI18n } from '../../i18n/i18n';
import { refusal } from './login-page';

/**
 * The second step of a sign-in: the six digits of the authenticator app, or one of the recovery
 * codes for someone without their phone.
 */
export function SecondFactorStep({ onSignedIn, onCancel }: { onSignedIn: (user: Me) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [withRecoveryCode, setWithRecoveryCode] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [withRecoveryCode]);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const parsed = (withRecoveryCode ? RecoveryCodeInput : TotpCode).safeParse(value);
    if (!parsed.success) {
      setError(t(withRecoveryCode ? 'security.badRecoveryCode' : 'security.badCode'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const proof = withRecoveryCode ? { recoveryCode: parsed.data } : { code: parsed.data };
      onSignedIn((await secondFactorApi.signIn(proof)).user);
    } catch (err) {
      setValue('');
      setError(refusal(err, t, withRecoveryCode ? 'security.wrongRecoveryCode' : 'security.wrongCode'));
    } finally {
      setBusy(false);
    }
  };

  const invalid = error ? ({ 'aria-invalid': true, 'aria-describedby': 'second-factor-error' } as const) : {};
  return (
    <section className="login" aria-labelledby="second-factor-title">
      <h1 id="second-factor-title">{t('security.stepTitle')}</h1>
      <p>{t(withRecoveryCode ? 'security.stepRecoveryIntro' : 'security.stepIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {withRecoveryCode ? (
          <>
            <label htmlFor="recovery-code">{t('security.recoveryCode')}</label>
            <input
              id="recovery-code"
              key="recovery-code"
              ref={input}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              {...invalid}
            />
          </>
        ) : (
          <>
            <label htmlFor="totp-code">{t('security.code')}</label>
            <input
              id="totp-code"
              key="totp-code"
              ref={input}
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9 ]*"
              maxLength={7}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              {...invalid}
            />
          </>
        )}
        {error && (
          <p id="second-factor-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('security.verify')}
        </button>
      </form>
      <p>
        <button
          type="button"
          className="link"
          onClick={() => {
            setValue('');
            setError(undefined);
            setWithRecoveryCode((r) => !r);
          }}
        >
          {t(withRecoveryCode ? 'security.useApp' : 'security.useRecoveryCode')}
        </button>
      </p>
      <p>
        <button type="button" className="link" onClick={onCancel}>
          {t('security.startOver')}
        </button>
      </p>
    </section>
  );
}
