import { lazy, Suspense, useId } from 'react';
import type { BurndownPoint } from './burndown-logic';

/** The chart's colours, each at least 4.5:1 on white (as the dashboard's). */
export const burndownColours = { backlog: '#1a4f86', posted: '#b45309', finished: '#0f766e' } as const;

interface ChartProps {
  title: string;
  desc: string;
  points: BurndownPoint[];
  labels: { backlog: string; posted: string; finished: string };
  formatNumber: (n: number) => string;
  formatHour: (iso: string) => string;
}

/** recharts comes with the first chart, in its own chunk (shared with the dashboard's other charts). */
const Lines = lazy(async () => {
  const { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } = await import('recharts');
  function RechartsBurndown({ title, desc, points, labels, formatNumber, formatHour }: ChartProps) {
    return (
      <ComposedChart
        data={points}
        responsive
        style={{ width: '100%', height: 220 }}
        title={title}
        desc={desc}
        margin={{ top: 8, right: 8, bottom: 4, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke="#d5d9de" />
        <XAxis
          dataKey="at"
          tickFormatter={formatHour}
          minTickGap={24}
          stroke="#5b6470"
          tick={{ fill: '#1b1f24', fontSize: 12 }}
        />
        <YAxis
          allowDecimals={false}
          width="auto"
          tickFormatter={(v: number) => formatNumber(v)}
          stroke="#5b6470"
          tick={{ fill: '#1b1f24', fontSize: 12 }}
        />
        <Tooltip
          labelFormatter={(label) => (typeof label === 'string' ? formatHour(label) : label)}
          formatter={(value) => (typeof value === 'number' ? formatNumber(value) : value)}
          contentStyle={{ border: '1px solid #5b6470', borderRadius: 6, color: '#1b1f24' }}
          labelStyle={{ fontWeight: 700, color: '#1b1f24' }}
        />
        <Bar dataKey="posted" name={labels.posted} fill={burndownColours.posted} maxBarSize={10} />
        <Bar dataKey="finished" name={labels.finished} fill={burndownColours.finished} maxBarSize={10} />
        <Line
          type="stepAfter"
          dataKey="backlog"
          name={labels.backlog}
          stroke={burndownColours.backlog}
          strokeWidth={2.5}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    );
  }
  return { default: RechartsBurndown };
});

export function BurndownChart(props: ChartProps & { loading: string }) {
  const { loading, ...chart } = props;
  const captionId = useId();
  return (
    <figure className="chart burndown-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{chart.title}</figcaption>
      <Suspense
        fallback={
          <p className="chart-loading" style={{ height: 220 }}>
            {loading}
          </p>
        }
      >
        <Lines {...chart} />
      </Suspense>
      <ul className="chart-legend">
        {(['backlog', 'posted', 'finished'] as const).map((key) => (
          <li key={key}>
            <span className="swatch" style={{ background: burndownColours[key] }} aria-hidden="true" />
            {chart.labels[key]}
          </li>
        ))}
      </ul>
    </figure>
  );
}
