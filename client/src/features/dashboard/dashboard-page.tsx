import { lazy, Suspense, useMemo, useState } from 'react';
import type { User } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { MinutesPanel } from '../reports/minutes-panel';
import { DrillPanel } from '../drills/drill-panel';
import { CommuneMap } from './commune-map';
import { LoadCharts } from './load-charts';
import { allMetrics, metric, statusOrder, type MetricKey, type Row } from './load-metrics';
import { LoadTable, type Sort } from './load-table';
import { OffersTable } from '../my-commune/offers-today';
import { useRegionLoad } from './use-region-load';
import './dashboard.css';

/** The burn-downs (and recharts) come in a chunk of their own, only when a commune is in incident. */
const BurndownList = lazy(() => import('../burndown/burndown-panel').then((m) => ({ default: m.BurndownList })));

export function DashboardPage({ user }: { user: User }) {
  const { t, locale, formatNumber, formatDate } = useI18n();
  const say = useProblemText();
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
  const stricken = useMemo(
    () => rows.filter((row) => row.commune.status === 'incident').map((row) => row.commune),
    [rows],
  );
  const inIncident = stricken.length;
  const latest = [...loads.values()].reduce<string | undefined>(
    (acc, l) => (!acc || Date.parse(l.at) > Date.parse(acc) ? l.at : acc),
    undefined,
  );

  const title = user.regionName ? t('dashboard.titleRegion', { region: user.regionName }) : t('dashboard.title');

  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="dashboard-head">
        <h1 id="dashboard-title">{title}</h1>
        <p className={`connection ${connection}`} role="status">
          <span aria-hidden="true">●</span> {t(`dashboard.${connection}`)}
        </p>
      </div>
      <p className="dashboard-intro">{t('dashboard.intro')}</p>
      {latest && (
        <p className="dashboard-updated">
          <time dateTime={latest}>{t('dashboard.updatedAt', { time: formatDate(latest) })}</time>
        </p>
      )}

      {error && (
        <div className="notice conflict" role="alert">
          <p>
            {error.status === 403
              ? t('dashboard.forbidden')
              : error.status === 0
                ? t('dashboard.networkError')
                : say(error)}
          </p>
          {error.status !== 403 && (
            <button type="button" onClick={() => void reload()}>
              {t('dashboard.retry')}
            </button>
          )}
        </div>
      )}
      {!communes && !error && <p>{t('dashboard.loading')}</p>}

      {communes && (
        <>
          <section aria-labelledby="dashboard-summary">
            <h2 id="dashboard-summary" className="visually-hidden">
              {t('dashboard.summary')}
            </h2>
            <dl className="summary">
              <div className="tile">
                <dt>{t('dashboard.totalBacklog')}</dt>
                <dd>{formatNumber(totals.open)}</dd>
              </div>
              <div className="tile">
                <dt>{t('dashboard.totalActive')}</dt>
                <dd>{formatNumber(totals.claimed + totals.inProgress)}</dd>
              </div>
              <div className={`tile${totals.overdue > 0 ? ' alert' : ''}`}>
                <dt>{t('dashboard.totalOverdue')}</dt>
                <dd>{formatNumber(totals.overdue)}</dd>
              </div>
              <div className="tile">
                <dt>{t('dashboard.totalDoneToday')}</dt>
                <dd>{formatNumber(totals.doneToday)}</dd>
              </div>
              <div className="tile">
                <dt>{t('dashboard.totalThroughput')}</dt>
                <dd>{formatNumber(totals.throughput24h)}</dd>
              </div>
              <div className={`tile${inIncident > 0 ? ' alert' : ''}`}>
                <dt>{t('dashboard.communesInIncident')}</dt>
                <dd>{formatNumber(inIncident)}</dd>
              </div>
            </dl>
          </section>

          <OffersTable />

          <LoadTable
            rows={rows}
            totals={totals}
            changed={changed}
            sort={sort}
            onSort={setSort}
            t={t}
            formatNumber={formatNumber}
          />

          {rows.length > 0 && (
            <>
              {stricken.length > 0 && (
                <Suspense fallback={<p>{t('dashboard.loading')}</p>}>
                  <BurndownList communes={stricken} />
                </Suspense>
              )}
              <LoadCharts rows={rows} t={t} formatNumber={formatNumber} />
              <CommuneMap rows={rows} t={t} formatNumber={formatNumber} />
            </>
          )}
          {user.role === 'coordinator' && <DrillPanel />}
          {user.role === 'coordinator' && <MinutesPanel />}
        </>
      )}
    </section>
  );
}
