import { useEffect, useState, type SubmitEvent } from 'react';
import { reportDay, type DailyReport, type DailyTotals } from '../../../../shared/schemas';
import { reportsApi } from '../../api/reports';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { colours, LoadChart } from '../dashboard/load-charts';
import '../dashboard/dashboard.css';
import './reports.css';

const figures = ['posted', 'claimed', 'done', 'overdue', 'backlog'] as const;

/**
 * The coordinator's daily report: a table per commune with the region's total, two charts, a CSV
 * download and a print view that fits one A4 page.
 */
export function DailyReportPage() {
  const { t, formatDate, formatNumber } = useI18n();
  const say = useProblemText();
  const [day, setDay] = useState(() => reportDay(new Date()));
  const [shown, setShown] = useState(day);
  const [report, setReport] = useState<DailyReport>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    reportsApi.daily(shown).then(
      (r) => {
        if (!current) return;
        setReport(r);
        setError(undefined);
      },
      (err: unknown) => {
        if (current) setError(err);
      },
    );
    return () => {
      current = false;
    };
  }, [shown]);

  const show = (e: SubmitEvent) => {
    e.preventDefault();
    setShown(day);
  };
  const minutes = (m: number | null) => (m === null ? t('reports.none') : t('reports.minutes', { n: formatNumber(m) }));
  const cells = (f: DailyTotals) => (
    <>
      {figures.map((k) => (
        <td key={k} className="num">
          {formatNumber(f[k])}
        </td>
      ))}
      <td className="num">{minutes(f.medianMinutesToClaim)}</td>
      <td className="num">{minutes(f.medianMinutesToDone)}</td>
    </>
  );

  return (
    <section className="dashboard report daily-report" aria-labelledby="daily-title">
      <h1 id="daily-title">{report ? t('reports.daily.titleOf', { date: report.date }) : t('reports.daily.title')}</h1>
      <p className="no-print">{t('reports.daily.intro')}</p>
      <form className="report-controls no-print" onSubmit={show}>
        <label htmlFor="daily-date">{t('reports.daily.date')}</label>
        <input
          id="daily-date"
          type="date"
          value={day}
          max={reportDay(new Date())}
          required
          onChange={(e) => setDay(e.target.value)}
        />
        <button type="submit">{t('reports.show')}</button>
        <a className="button secondary" href={reportsApi.dailyCsvHref(shown)} download>
          {t('reports.csv')}
        </a>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('reports.print')}
        </button>
      </form>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {!report && error === undefined && <p role="status">{t('reports.loading')}</p>}
      {report && (
        <>
          <p className="report-note">
            {t('reports.daily.asOf', { time: formatDate(report.asOf) })} {t('reports.timeZone')}
          </p>
          <div className="table-scroll" role="region" aria-labelledby="daily-title" tabIndex={0}>
            <table className="load-table report-table" aria-describedby="daily-notes">
              <thead>
                <tr>
                  <th scope="col">{t('reports.commune')}</th>
                  <th scope="col">{t('reports.daily.posted')}</th>
                  <th scope="col">{t('reports.daily.claimed')}</th>
                  <th scope="col">{t('reports.daily.done')}</th>
                  <th scope="col">{t('reports.daily.overdue')}</th>
                  <th scope="col">{t('reports.daily.backlog')}</th>
                  <th scope="col">{t('reports.daily.toClaim')}</th>
                  <th scope="col">{t('reports.daily.toDone')}</th>
                </tr>
              </thead>
              <tbody>
                {report.communes.map((c) => (
                  <tr key={c.communeId}>
                    <th scope="row">{c.communeName}</th>
                    {cells(c)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('reports.total')}</th>
                  {cells(report.totals)}
                </tr>
              </tfoot>
            </table>
          </div>
          <p id="daily-notes" className="report-note">
            {t('reports.daily.notes')}
          </p>
          <div className="charts report-charts">
            <LoadChart
              title={t('reports.daily.activityChart')}
              desc={t('reports.daily.activityChartDesc')}
              data={report.communes.map((c) => ({
                name: c.communeName,
                posted: c.posted,
                claimed: c.claimed,
                done: c.done,
              }))}
              series={[
                { key: 'posted', label: t('reports.daily.posted'), colour: colours.open },
                { key: 'claimed', label: t('reports.daily.claimed'), colour: colours.claimed },
                { key: 'done', label: t('reports.daily.done'), colour: colours.done },
              ]}
              formatNumber={formatNumber}
              loading={t('reports.loading')}
              compact
            />
            <LoadChart
              title={t('reports.daily.endChart')}
              desc={t('reports.daily.endChartDesc')}
              data={report.communes.map((c) => ({ name: c.communeName, backlog: c.backlog, overdue: c.overdue }))}
              series={[
                { key: 'backlog', label: t('reports.daily.backlog'), colour: colours.inProgress },
                { key: 'overdue', label: t('reports.daily.overdue'), colour: colours.overdue },
              ]}
              formatNumber={formatNumber}
              loading={t('reports.loading')}
              compact
            />
          </div>
        </>
      )}
    </section>
  );
}
