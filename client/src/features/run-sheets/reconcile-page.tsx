import { useState, type SubmitEvent } from 'react';
import type { ReconcileLineResult, ReconcileResult, RunSheetOutcome } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { runSheetsApi } from '../../api/run-sheets';
import { fieldMessage } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useProblemText } from '../../i18n/use-problem-text';
import { batchOf, blankLine, checkLines, readyToSend, type LineCheck, type TypedLine } from './reconcile-lines';
import './run-sheets.css';

const checkWords: Record<Exclude<LineCheck['state'], 'empty'>, MessageKey> = {
  ok: 'reconcile.codeOk',
  malformed: 'reconcile.codeMalformed',
  check: 'reconcile.codeCheck',
  duplicate: 'reconcile.codeDuplicate',
};

function resultWords(line: ReconcileLineResult): MessageKey {
  if (line.result === 'completed') return 'reconcile.completed';
  if (line.result === 'released') return 'reconcile.released';
  return `reconcile.refused.${line.reason ?? 'not_held'}`;
}

/**
 * A run-sheet's results typed back: a line per task (code, done or not, a note), each code checked as
 * it is typed by the same check character the server reads; the batch is applied in one go and
 * each line answered. A batch the server refuses (a code of no task of the region) changes nothing,
 * and its lines are flagged where they were typed.
 */
export function ReconcilePage() {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const [lines, setLines] = useState<TypedLine[]>(() => Array.from({ length: 5 }, blankLine));
  const [serverErrors, setServerErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<ReconcileResult>();
  const checks = checkLines(lines);

  const edit = (i: number, change: Partial<TypedLine>) => {
    setLines((all) => all.map((line, j) => (j === i ? { ...line, ...change } : line)));
    setServerErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([k]) => Number(k) !== i)));
  };

  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!readyToSend(checks)) {
      setError(new Error(t('reconcile.notReady')));
      return;
    }
    const { request, rows } = batchOf(lines);
    setSending(true);
    setError(undefined);
    try {
      setResult(await runSheetsApi.reconcile(request));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.problem.errors) {
        const flagged: Record<number, string> = {};
        for (const fe of err.problem.errors) {
          const at = /^lines\.(\d+)\./.exec(fe.field);
          const row = at ? rows[Number(at[1])] : undefined;
          if (row !== undefined) flagged[row] = fieldMessage(locale, fe);
        }
        setServerErrors(flagged);
      }
    } finally {
      setSending(false);
    }
  };

  /** A refused batch is flagged line by line; the notice says so once. */
  const errorText = (e: unknown): string => {
    if (e instanceof ApiError && e.problem.errors) return t('reconcile.refusedBatch');
    return e instanceof ApiError ? say(e) : e instanceof Error ? e.message : String(e);
  };

  if (result) {
    return (
      <section className="reconcile-page" aria-labelledby="reconcile-title">
        <h1 id="reconcile-title">{t('reconcile.title')}</h1>
        <p role="status">{t('reconcile.results', { applied: result.applied, refused: result.refused })}</p>
        <h2>{t('reconcile.resultsTitle')}</h2>
        <ol className="reconcile-results">
          {result.lines.map((line) => (
            <li key={line.line}>
              <span className="choice-code">{line.code}</span> {t(resultWords(line))}
            </li>
          ))}
        </ol>
        <button
          type="button"
          onClick={() => {
            setResult(undefined);
            setLines(Array.from({ length: 5 }, blankLine));
          }}
        >
          {t('reconcile.another')}
        </button>
      </section>
    );
  }

  return (
    <section className="reconcile-page" aria-labelledby="reconcile-title">
      <h1 id="reconcile-title">{t('reconcile.title')}</h1>
      <p>{t('reconcile.intro')}</p>
      <form onSubmit={(e) => void send(e)} noValidate>
        {lines.map((line, i) => {
          const check = checks[i] ?? { state: 'empty' };
          const flagged = serverErrors[i];
          const wrong = flagged !== undefined || (check.state !== 'ok' && check.state !== 'empty');
          return (
            <fieldset key={i} className="reconcile-line">
              <legend>{t('reconcile.line', { n: i + 1 })}</legend>
              <div>
                <label htmlFor={`line-${i}-code`}>{t('reconcile.code')}</label>
                <input
                  id={`line-${i}-code`}
                  className="code-input"
                  value={line.code}
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={wrong || undefined}
                  aria-describedby={`line-${i}-check`}
                  onChange={(e) => edit(i, { code: e.target.value })}
                />
                <span id={`line-${i}-check`} className={wrong ? 'line-check wrong' : 'line-check'}>
                  {flagged ??
                    (check.state === 'empty'
                      ? ''
                      : t(checkWords[check.state], check.state === 'duplicate' ? { line: check.line } : undefined))}
                </span>
              </div>
              <div role="radiogroup" aria-label={t('reconcile.outcome')} className="outcome-choice">
                {(['done', 'not_done'] as RunSheetOutcome[]).map((o) => (
                  <label key={o}>
                    <input
                      type="radio"
                      name={`line-${i}-outcome`}
                      checked={line.outcome === o}
                      onChange={() => edit(i, { outcome: o })}
                    />{' '}
                    {t(o === 'done' ? 'reconcile.done' : 'reconcile.notDone')}
                  </label>
                ))}
              </div>
              <div>
                <label htmlFor={`line-${i}-note`}>{t('reconcile.note')}</label>
                <input id={`line-${i}-note`} value={line.note} onChange={(e) => edit(i, { note: e.target.value })} />
              </div>
            </fieldset>
          );
        })}
        {error !== undefined && (
          <p className="notice conflict" role="alert">
            {errorText(error)}
          </p>
        )}
        <p className="sheet-actions">
          <button type="button" className="secondary" onClick={() => setLines((all) => [...all, blankLine()])}>
            {t('reconcile.addLine')}
          </button>
          <button type="submit" disabled={sending}>
            {sending ? t('reconcile.sending') : t('reconcile.send')}
          </button>
        </p>
      </form>
    </section>
  );
}
