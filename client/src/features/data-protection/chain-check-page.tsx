import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import type { AuditVerification, ChainReport } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { dataProtectionApi } from '../../api/data-protection';
import { useI18n } from '../../i18n/i18n';
import { problemMessage } from '../../i18n/problem-messages';
import { auditFieldMessage } from './audit-filter';
import { chainReasonText, headText } from './chain-text';
import './data-protection.css';

type HeadField = 'eventsHead' | 'auditHead';

/** Both hash chains checked by the server, their heads to keep outside, and heads kept earlier to hold them to. */
export function ChainCheckPage() {
  const { t, locale, formatDate } = useI18n();
  const [heads, setHeads] = useState({ eventsHead: '', auditHead: '' });
  const [result, setResult] = useState<AuditVerification>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const run = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await dataProtectionApi.verify(heads));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setResult(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: HeadField) => {
    const problem = error?.problem.errors?.find((fe) => fe.field === field);
    return problem && auditFieldMessage(locale, problem);
  };
  const headInput = (field: HeadField, label: string) => {
    const message = fieldError(field);
    return (
      <div className="dp-field">
        <label htmlFor={`head-${field}`}>{label}</label>
        <input
          id={`head-${field}`}
          className="mono"
          value={heads[field]}
          onChange={(e) => setHeads({ ...heads, [field]: e.target.value })}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `head-hint error-${field}` : 'head-hint'}
        />
        {message && (
          <p id={`error-${field}`} className="field-error">
            {message}
          </p>
        )}
      </div>
    );
  };

  return (
    <section className="dp-page" aria-labelledby="chain-title">
      <h1 id="chain-title" ref={heading} tabIndex={-1}>
        {t('chain.title')}
      </h1>
      <p className="dp-intro">{t('chain.intro')}</p>
      <p className="dp-intro no-print">{t('chain.anchorIntro')}</p>
      <form className="dp-form no-print" onSubmit={(e) => void run(e)} noValidate>
        {headInput('eventsHead', t('chain.eventsHead'))}
        {headInput('auditHead', t('chain.auditHead'))}
        <p id="head-hint" className="hint">
          {t('chain.headHint')}
        </p>
        <div className="dp-buttons">
          <button type="submit" disabled={busy}>
            {t('chain.run')}
          </button>
        </div>
      </form>
      <div role="status">
        {busy && <p>{t('chain.running')}</p>}
        {result && !busy && <p>{t('chain.checkedAt', { date: formatDate(result.checkedAt) })}</p>}
      </div>
      {error && (
        <p className="notice conflict" role="alert">
          {problemMessage(locale, error.problem)}
        </p>
      )}
      {result && (
        <div className="chains">
          <ChainResult id="events" title={t('chain.events')} report={result.events} />
          <ChainResult id="audit" title={t('chain.audit')} report={result.audit} />
          <p className="no-print">
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t('chain.print')}
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

function ChainResult({ id, title, report }: { id: string; title: string; report: ChainReport }) {
  const { t, formatNumber } = useI18n();
  const [copy, setCopy] = useState<'copied' | 'failed'>();
  const code = useRef<HTMLElement>(null);
  const head = report.head && headText(report.head);

  const copyHead = async () => {
    if (!head) return;
    try {
      await navigator.clipboard.writeText(head);
      setCopy('copied');
    } catch {
      // No clipboard (a page not served over HTTPS, a browser that refuses): select it for the person to copy.
      const selection = window.getSelection();
      if (code.current && selection) selection.selectAllChildren(code.current);
      setCopy('failed');
    }
  };

  return (
    <section className={`chain ${report.ok ? 'chain-ok' : 'chain-broken'}`} aria-labelledby={`chain-${id}`}>
      <h2 id={`chain-${id}`}>
        {title} — <span className="chain-state">{t(report.ok ? 'chain.ok' : 'chain.broken')}</span>
      </h2>
      <p className={report.ok ? 'ok' : 'error'}>
        {report.ok || !report.firstBroken
          ? t('chain.okText')
          : t('chain.brokenAt', {
              seq: report.firstBroken.seq,
              reason: chainReasonText(t, report.firstBroken.reason),
            })}
      </p>
      <dl className="fields">
        <dt>{t('chain.count')}</dt>
        <dd>{formatNumber(report.count)}</dd>
        <dt>{t('chain.lastSeq')}</dt>
        <dd>{formatNumber(report.lastSeq)}</dd>
        <dt>{t('chain.head')}</dt>
        <dd>
          {head ? (
            <code ref={code} className="head">
              {head}
            </code>
          ) : (
            t('chain.noHead')
          )}
        </dd>
      </dl>
      {head && (
        <p className="no-print copy-row">
          <button
            type="button"
            className="secondary"
            onClick={() => void copyHead()}
            aria-label={t('chain.copyLabel', { chain: title })}
          >
            {t('chain.copy')}
          </button>{' '}
          <span role="status">{copy && t(copy === 'copied' ? 'chain.copied' : 'chain.copyFailed')}</span>
        </p>
      )}
    </section>
  );
}
