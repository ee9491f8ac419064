import { useMemo, useState } from 'react';
import type { User } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { CommuneMap } from './commune-map';
import { LoadCharts } from './load-charts';
import { allMetrics, metric, statusOrder, type MetricKey, type Row } from './load-metrics';
import { LoadTable, type Sort } from './load-table';
import { useMessages } from './use-messages';
import { useRegionLoad } from './use-region-load';
import './dashboard.css';

export function DashboardPage({ user }: { user: User }) {
  const { locale, formatNumber, formatDate } = useI18n();
  const say = useProblemText();
  const m = useMessages();
  const { loads, changed, communes, connection, error, reload } = useRegionLoad();
  const [sort, setSort] = useState<Sort>({ key: 'name', direction: 'ascending' });
  const collator = useMemo(() => new Intl.Collator(locale === 'fr' ? 'fr-BE' : 'en-GB'), [locale]);

  const rows = useMemo<Row[]>(() => {
    const list = (communes ?? []).map((commune) => ({ commune, load: loads.get(commune.id) }));
    const value = (row: Row): number =>
      sort.key === 'name' || sort.key === 'status' ? 0 : row.load ? metric(row.load, sort.key) : -1;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return list.sort((a, b) => {
      const byKey =
        sort.key === 'name'
          ? collator.compare(a.commune.name, b.commune.name)
          : sort.key === 'status'
            ? statusOrder[a.commune.status] - statusOrder[b.commune.status]
            : value(a) - value(b);
      return sign * byKey || collator.compare(a.commune.name, b.commune.name);
    });
  }, [communes, loads, sort, collator]);

  const totals = useMemo(() => {
    const sum = (key: MetricKey) => rows.reduce((acc, row) => acc + (row.load ? metric(row.load, key) : 0), 0);
    return Object.fromEntries(allMetrics.map((key) => [key, sum(key)])) as Record<MetricKey, number>;
  }, [rows]);
  const inIncident = rows.filter((row) => row.commune.status === 'incident').length;
  const latest = [...loads.values()].reduce<string | undefined>(
    (acc, l) => (!acc || Date.parse(l.at) > Date.parse(acc) ? l.at : acc),
    undefined,
  );

  const title = user.regionName ? m('titleRegion', { region: user.regionName }) : m('title');

  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="dashboard-head">
        <h1 id="dashboard-title">{title}</h1>
        <p className={`connection ${connection}`} role="status">
          <span aria-hidden="true">●</span> {m(connection)}
        </p>
      </div>
      <p className="dashboard-intro">{m('intro')}</p>
      {latest && (
        <p className="dashboard-updated">
          <time dateTime={latest}>{m('updatedAt', { time: formatDate(latest) })}</time>
        </p>
      )}

      {error && (
        <div className="notice conflict" role="alert">
          <p>{error.status === 403 ? m('forbidden') : error.status === 0 ? m('networkError') : say(error)}</p>
          {error.status !== 403 && (
            <button type="button" onClick={() => void reload()}>
              {m('retry')}
            </button>
          )}
        </div>
      )}
      {!communes && !error && <p>{m('loading')}</p>}

      {communes && (
        <>
          <section aria-labelledby="dashboard-summary">
            <h2 id="dashboard-summary" className="visually-hidden">
              {m('summary')}
            </h2>
            <dl className="summary">
              <div className="tile">
                <dt>{m('totalBacklog')}</dt>
                <dd>{formatNumber(totals.open)}</dd>
              </div>
              <div className="tile">
                <dt>{m('totalActive')}</dt>
                <dd>{formatNumber(totals.claimed + totals.inProgress)}</dd>
              </div>
              <div className={`tile${totals.overdue > 0 ? ' alert' : ''}`}>
                <dt>{m('totalOverdue')}</dt>
                <dd>{formatNumber(totals.overdue)}</dd>
              </div>
              <div className="tile">
                <dt>{m('totalDoneToday')}</dt>
                <dd>{formatNumber(totals.doneToday)}</dd>
              </div>
              <div className="tile">
                <dt>{m('totalThroughput')}</dt>
                <dd>{formatNumber(totals.throughput24h)}</dd>
              </div>
              <div className={`tile${inIncident > 0 ? ' alert' : ''}`}>
                <dt>{m('communesInIncident')}</dt>
                <dd>{formatNumber(inIncident)}</dd>
              </div>
            </dl>
          </section>

          <LoadTable
            rows={rows}
            totals={totals}
            changed={changed}
            sort={sort}
            onSort={setSort}
            m={m}
            formatNumber={formatNumber}
          />

          {rows.length > 0 && (
            <>
              <LoadCharts rows={rows} m={m} formatNumber={formatNumber} />
              <CommuneMap rows={rows} m={m} formatNumber={formatNumber} />
            </>
          )}
        </>
      )}
    </section>
  );
}
