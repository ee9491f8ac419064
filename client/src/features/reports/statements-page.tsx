import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { reportDay, type ClosedStatementSummary, type HourlyRate, type Statement } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { reportsApi } from '../../api/reports';
import { fieldMessage } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { lastMonth } from './reports-logic';
import { StatementTable } from './statement-table';
import '../dashboard/dashboard.css';
import './reports.css';

/** What went wrong, with each field's error in the interface's language. */
function Problem({ err }: { err: unknown }) {
  const { locale } = useI18n();
  const say = useProblemText();
  const fields = err instanceof ApiError ? (err.problem.errors ?? []) : [];
  return (
    <div className="notice conflict" role="alert">
      <p>{say(err)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              {f.field} {fieldMessage(locale, f)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The hourly rate of the region's statements, in euros, set by the coordinator. */
function RateForm({ rate, onSaved }: { rate: HourlyRate; onSaved: (r: HourlyRate) => void }) {
  const { t } = useI18n();
  const [euros, setEuros] = useState((rate.hourlyRateCents / 100).toFixed(2));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      onSaved(await reportsApi.setRate(Math.round(Number(euros) * 100)));
      setError(undefined);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="inline-form no-print" onSubmit={(e) => void save(e)}>
      <label htmlFor="hourly-rate">{t('reports.statement.rate')}</label>
      <input
        id="hourly-rate"
        type="number"
        min={0}
        max={1000}
        step={0.01}
        required
        value={euros}
        onChange={(e) => setEuros(e.target.value)}
      />
      <button type="submit">{t('reports.statement.rateSave')}</button>
      {saved && (
        <span role="status">
          {t('reports.statement.rateSaved', { amount: `${(rate.hourlyRateCents / 100).toFixed(2)} €` })}
        </span>
      )}
      {!rate.set && <span>{t('reports.statement.rateUnset')}</span>}
      {error !== undefined && <Problem err={error} />}
    </form>
  );
}

/** The coordinator's cost statements: the rate, a period's statement (CSV, print), closing it, the closed ones. */
export function StatementsPage() {
  const { t, formatDate } = useI18n();
  const [period, setPeriod] = useState(() => lastMonth(reportDay(new Date())));
  const [statement, setStatement] = useState<Statement>();
  const [rate, setRate] = useState<HourlyRate>();
  const [closed, setClosed] = useState<ClosedStatementSummary[]>([]);
  const [error, setError] = useState<unknown>();

  const attempt = useCallback(async (work: () => Promise<void>) => {
    try {
      await work();
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }, []);
  const loadClosed = useCallback(async () => setClosed((await reportsApi.closedStatements()).items), []);
  useEffect(() => {
    Promise.all([reportsApi.rate(), reportsApi.closedStatements()]).then(([r, list]) => {
      setRate(r);
      setClosed(list.items);
    }, setError);
  }, []);

  const show = (e: SubmitEvent) => {
    e.preventDefault();
    void attempt(async () => setStatement(await reportsApi.statement(period)));
  };
  const close = () => {
    if (!statement) return;
    const p = { from: statement.from, to: statement.to };
    if (!window.confirm(t('reports.statement.closeConfirm', p))) return;
    void attempt(async () => {
      setStatement(await reportsApi.closeStatement(p));
      await loadClosed();
    });
  };
  const open = (id: string) =>
    void attempt(async () => {
      const s = await reportsApi.closedStatement(id);
      setPeriod({ from: s.from, to: s.to });
      setStatement(s);
    });

  return (
    <section className="dashboard report statement-report" aria-labelledby="statement-title">
      <h1 id="statement-title">{t('reports.statement.title')}</h1>
      <p className="no-print">
        {t('reports.statement.intro')} {t('reports.timeZone')}
      </p>
      {rate && <RateForm rate={rate} onSaved={setRate} />}
      <form className="report-controls no-print" onSubmit={show}>
        <label htmlFor="statement-from">{t('reports.statement.from')}</label>
        <input
          id="statement-from"
          type="date"
          required
          value={period.from}
          onChange={(e) => setPeriod({ ...period, from: e.target.value })}
        />
        <label htmlFor="statement-to">{t('reports.statement.to')}</label>
        <input
          id="statement-to"
          type="date"
          required
          value={period.to}
          onChange={(e) => setPeriod({ ...period, to: e.target.value })}
        />
        <button type="submit">{t('reports.show')}</button>
      </form>
      {error !== undefined && <Problem err={error} />}
      {statement && (
        <>
          <StatementTable statement={statement} />
          <div className="actions no-print">
            <a className="button" href={reportsApi.statementCsvHref(statement)} download>
              {t('reports.csv')}
            </a>
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t('reports.print')}
            </button>
            {!statement.closed && (
              <button type="button" onClick={close}>
                {t('reports.statement.close')}
              </button>
            )}
          </div>
        </>
      )}
      <section className="no-print" aria-labelledby="closed-title">
        <h2 id="closed-title">{t('reports.statement.closedList')}</h2>
        {closed.length === 0 ? (
          <p>{t('reports.statement.noneClosed')}</p>
        ) : (
          <ul className="statement-list">
            {closed.map((s) => (
              <li key={s.id}>
                <button type="button" className="secondary" onClick={() => open(s.id)}>
                  {t('reports.statement.period', { from: s.from, to: s.to })}
                </button>{' '}
                {t('reports.statement.signedOff', { name: s.closedByName, date: formatDate(s.closedAt) })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
