import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import {
  RecoveryCodeInput,
  TotpCode,
  type SecondFactorEnrolment,
  type SecondFactorStatus,
} from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { secondFactorApi } from '../../api/second-factor';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import './security.css';

type Step =
  | { kind: 'status' }
  | { kind: 'enrolling'; enrolment: SecondFactorEnrolment }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'regenerate' }
  | { kind: 'disable' };

/**
 * #/security: enrol an authenticator app (QR code or the key typed by hand), see the recovery codes
 * once, get new ones, or turn the factor off. `onChanged` reads the account again: being enrolled
 * opens the rest of the application to a role that requires it.
 */
export function SecurityPage({ onChanged }: { onChanged: () => void }) {
  const { t, formatDate } = useI18n();
  const problemText = useProblemText();
  const [status, setStatus] = useState<SecondFactorStatus>();
  const [step, setStep] = useState<Step>({ kind: 'status' });
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();

  const reload = useCallback(() => {
    secondFactorApi.status().then(setStatus, (err: unknown) => setError(problemText(err)));
  }, [problemText]);
  useEffect(reload, [reload]);

  const begin = async () => {
    setError(undefined);
    setDone(undefined);
    try {
      setStep({ kind: 'enrolling', enrolment: await secondFactorApi.begin() });
    } catch (err) {
      setError(problemText(err));
    }
  };

  const finish = (message?: string) => {
    setStep({ kind: 'status' });
    setDone(message);
    reload();
    onChanged();
  };

  return (
    <section className="security" aria-labelledby="security-title">
      <h1 id="security-title">{t('security.title')}</h1>
      <p>{t('security.intro')}</p>
      {status?.required && !status.enabled && (
        <p className="notice conflict" role="alert">
          {t('security.required')}
        </p>
      )}
      {done && (
        <p className="notice ok" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {step.kind === 'status' && status && (
        <>
          <p>
            {status.enabled && status.enrolledAt
              ? t('security.enabled', { date: formatDate(status.enrolledAt) })
              : t('security.disabled')}
          </p>
          {status.enabled ? (
            <>
              <p>{t('security.codesLeft', { count: status.recoveryCodesLeft })}</p>
              <div className="security-actions">
                <button type="button" onClick={() => setStep({ kind: 'regenerate' })}>
                  {t('security.regenerate')}
                </button>
                <button type="button" onClick={() => setStep({ kind: 'disable' })}>
                  {t('security.disable')}
                </button>
              </div>
            </>
          ) : (
            <button type="button" onClick={() => void begin()}>
              {t('security.enrol')}
            </button>
          )}
        </>
      )}
      {step.kind === 'enrolling' && (
        <Enrolment
          enrolment={step.enrolment}
          onConfirmed={(codes) => {
            setDone(t('security.enabledDone'));
            setStep({ kind: 'codes', codes });
          }}
          onCancel={() => setStep({ kind: 'status' })}
        />
      )}
      {step.kind === 'codes' && <RecoveryCodeList codes={step.codes} onSaved={() => finish()} />}
      {step.kind === 'regenerate' && (
        <CodeForm
          id="regenerate"
          intro={t('security.regenerateIntro')}
          action={t('security.regenerate')}
          submit={async (code) => {
            if (!('code' in code)) return;
            const { recoveryCodes } = await secondFactorApi.regenerate(code.code);
            setStep({ kind: 'codes', codes: recoveryCodes });
          }}
          onCancel={() => setStep({ kind: 'status' })}
        />
      )}
      {step.kind === 'disable' && (
        <CodeForm
          id="disable"
          intro={t('security.disableIntro')}
          action={t('security.disable')}
          acceptsRecoveryCode
          submit={async (proof) => {
            await secondFactorApi.disable(proof);
            finish(t('security.disabledDone'));
          }}
          onCancel={() => setStep({ kind: 'status' })}
        />
      )}
    </section>
  );
}

function Enrolment({
  enrolment,
  onConfirmed,
  onCancel,
}: {
  enrolment: SecondFactorEnrolment;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const image = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`;
  return (
    <div className="enrolment">
      <p>{t('security.scan')}</p>
      <img className="qr" src={image} alt={t('security.qrAlt')} width={220} height={220} />
      <p>
        {t('security.manual')} <code className="secret">{enrolment.secret.replace(/(.{4})(?!$)/g, '$1 ')}</code>
      </p>
      <CodeForm
        id="confirm"
        intro={t('security.confirmIntro')}
        action={t('security.confirm')}
        submit={async (code) => {
          if (!('code' in code)) return;
          onConfirmed((await secondFactorApi.confirm(code.code)).recoveryCodes);
        }}
        onCancel={onCancel}
      />
    </div>
  );
}

function RecoveryCodeList({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const { t } = useI18n();
  return (
    <div className="recovery-codes" aria-labelledby="codes-title">
      <h2 id="codes-title">{t('security.codesTitle')}</h2>
      <p>{t('security.codesIntro')}</p>
      <ul className="codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="security-actions">
        <button type="button" onClick={() => window.print()}>
          {t('security.print')}
        </button>
        <button type="button" onClick={onSaved}>
          {t('security.saved')}
        </button>
      </div>
    </div>
  );
}

type Proof = { code: string } | { recoveryCode: string };

/** One code asked for an action: the app's six digits, or (where allowed) a recovery code. */
function CodeForm({
  id,
  intro,
  action,
  acceptsRecoveryCode = false,
  submit,
  onCancel,
}: {
  id: string;
  intro: string;
  action: string;
  acceptsRecoveryCode?: boolean;
  submit: (proof: Proof) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    const code = TotpCode.safeParse(value);
    const recovery = acceptsRecoveryCode && !code.success ? RecoveryCodeInput.safeParse(value) : undefined;
    const proof: Proof | undefined = code.success
      ? { code: code.data }
      : recovery?.success
        ? { recoveryCode: recovery.data }
        : undefined;
    if (!proof) {
      setError(t(acceptsRecoveryCode ? 'security.badRecoveryCode' : 'security.badCode'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await submit(proof);
    } catch (err) {
      setValue('');
      setError(err instanceof ApiError && err.status === 400 ? t('security.wrongCode') : problemText(err));
    } finally {
      setBusy(false);
    }
  };

  const field = `${id}-code`;
  return (
    <form className="code-form" onSubmit={(e) => void send(e)} noValidate>
      <p>{intro}</p>
      <label htmlFor={field}>
        {acceptsRecoveryCode ? `${t('security.code')} / ${t('security.recoveryCode')}` : t('security.code')}
      </label>
      <input
        id={field}
        autoComplete="one-time-code"
        inputMode={acceptsRecoveryCode ? 'text' : 'numeric'}
        autoCapitalize={acceptsRecoveryCode ? 'characters' : undefined}
        spellCheck={false}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${field}-error` : undefined}
      />
      {error && (
        <p id={`${field}-error`} className="error" role="alert">
          {error}
        </p>
      )}
      <div className="security-actions">
        <button type="submit" disabled={busy}>
          {action}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t('security.cancel')}
        </button>
      </div>
    </form>
  );
}
