import { lazy, Suspense, useId } from 'react';
import type { Row } from './load-metrics';
import type { Translate } from '../../i18n/translate';

// Charts (recharts): horizontal bars, one category per commune, so long names stay readable on a phone.

/** Colours of the chart series (the reports use them too): each at least 4.5:1 on white, so legend and tooltip text read too. */
export const colours = {
  open: '#1a4f86',
  claimed: '#b45309',
  inProgress: '#0f766e',
  waitingInfo: '#4d5b6a',
  overdue: '#a4161a',
  done: '#6b3fa0',
} as const;

interface Series {
  key: string;
  label: string;
  colour: string;
  stack?: string;
}
type ChartDatum = Record<string, string | number>;
interface BarsProps {
  title: string;
  desc: string;
  data: ChartDatum[];
  series: Series[];
  height: number;
  formatNumber: (n: number) => string;
}

/** recharts is loaded with the first chart, in a chunk of its own: the board and the other pages do without it. */
const Bars = lazy(async () => {
  const { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } = await import('recharts');
  function RechartsBars({ title, desc, data, series, height, formatNumber }: BarsProps) {
    return (
      <BarChart
        layout="vertical"
        data={data}
        responsive
        style={{ width: '100%', height }}
        title={title}
        desc={desc}
        margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
        barCategoryGap="18%"
        barGap={2}
      >
        <CartesianGrid horizontal={false} stroke="#d5d9de" />
        <XAxis
          type="number"
          allowDecimals={false}
          tickFormatter={(v: number) => formatNumber(v)}
          stroke="#5b6470"
          tick={{ fill: '#1b1f24', fontSize: 13 }}
        />
        <YAxis type="category" dataKey="name" width="auto" stroke="#5b6470" tick={{ fill: '#1b1f24', fontSize: 13 }} />
        <Tooltip
          cursor={{ fill: '#eceff3' }}
          formatter={(value) => (typeof value === 'number' ? formatNumber(value) : value)}
          itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
          contentStyle={{ border: '1px solid #5b6470', borderRadius: 6, color: '#1b1f24' }}
          labelStyle={{ fontWeight: 700, color: '#1b1f24' }}
        />
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={s.colour}
            stackId={s.stack}
            stroke="#ffffff"
            strokeWidth={1}
            maxBarSize={22}
          />
        ))}
      </BarChart>
    );
  }
  return { default: RechartsBars };
});

export function LoadChart({
  title,
  desc,
  data,
  series,
  formatNumber,
  loading,
  compact = false,
}: Omit<BarsProps, 'height'> & { loading: string; compact?: boolean }) {
  const captionId = useId();
  const bars = new Set(series.map((s) => s.stack ?? s.key)).size;
  // Compact charts (a report that prints on one page) give each bar less room.
  const height = 50 + data.length * (compact ? 8 * bars + 10 : Math.max(34, 18 * bars + 12));
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      <Suspense
        fallback={
          <p className="chart-loading" style={{ height }}>
            {loading}
          </p>
        }
      >
        <Bars title={title} desc={desc} data={data} series={series} height={height} formatNumber={formatNumber} />
      </Suspense>
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.key}>
            <span className="swatch" style={{ background: s.colour }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Two charts of the communes, in the table's order: what each posted, and what each holds for the others. */
export function LoadCharts({
  rows,
  t,
  formatNumber,
}: {
  rows: Row[];
  t: Translate;
  formatNumber: (n: number) => string;
}) {
  const postedData = rows.map((row) => ({
    name: row.commune.name,
    open: row.load?.posted.open ?? 0,
    claimed: row.load?.posted.claimed ?? 0,
    inProgress: row.load?.posted.inProgress ?? 0,
    waitingInfo: row.load?.posted.waitingInfo ?? 0,
    overdue: row.load?.posted.overdue ?? 0,
  }));
  const heldData = rows.map((row) => ({
    name: row.commune.name,
    claimed: row.load?.held.claimed ?? 0,
    inProgress: row.load?.held.inProgress ?? 0,
    waitingInfo: row.load?.held.waitingInfo ?? 0,
    done: row.load?.throughput24h ?? 0,
  }));

  return (
    <>
      <h2>{t('dashboard.charts')}</h2>
      <p className="table-note">{t('dashboard.chartsNote')}</p>
      <div className="charts">
        <LoadChart
          title={t('dashboard.postedChart')}
          desc={t('dashboard.postedChartDesc')}
          data={postedData}
          series={[
            { key: 'open', label: t('dashboard.open'), colour: colours.open, stack: 'posted' },
            { key: 'claimed', label: t('dashboard.claimed'), colour: colours.claimed, stack: 'posted' },
            { key: 'inProgress', label: t('dashboard.inProgress'), colour: colours.inProgress, stack: 'posted' },
            { key: 'waitingInfo', label: t('dashboard.waitingInfo'), colour: colours.waitingInfo, stack: 'posted' },
            { key: 'overdue', label: t('dashboard.overdue'), colour: colours.overdue },
          ]}
          formatNumber={formatNumber}
          loading={t('dashboard.loading')}
        />
        <LoadChart
          title={t('dashboard.heldChart')}
          desc={t('dashboard.heldChartDesc')}
          data={heldData}
          series={[
            { key: 'claimed', label: t('dashboard.claimed'), colour: colours.claimed, stack: 'held' },
            { key: 'inProgress', label: t('dashboard.inProgress'), colour: colours.inProgress, stack: 'held' },
            { key: 'waitingInfo', label: t('dashboard.waitingInfo'), colour: colours.waitingInfo, stack: 'held' },
            { key: 'done', label: t('dashboard.doneLast24h'), colour: colours.done },
          ]}
          formatNumber={formatNumber}
          loading={t('dashboard.loading')}
        />
      </div>
    </>
  );
}
