import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { CommuneStatus } from '../../../../shared/schemas';
import type { Row } from './load-metrics';
import { mapHeight, placeLabels, projectCommunes } from './map-layout';
import type { Translate } from '../../i18n/translate';

const statusColours: Record<CommuneStatus, string> = { normal: '#137333', incident: '#a4161a', recovering: '#8a5a00' };

/** Text widths as the browser will draw them (a canvas measures them), or a fair guess. */
function measureTexts(texts: string[]): number[] {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return texts.map((text) => text.length * 7.6);
  context.font = `700 13px ${getComputedStyle(document.documentElement).fontFamily}`;
  return texts.map((text) => Math.ceil(context.measureText(text).width) + 2);
}

function useWidth<T extends HTMLElement>(initial: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.round(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** The communes where they lie, sized by their open requests and coloured by status, with the same as a list in text. */
export function CommuneMap({
  rows,
  t,
  formatNumber,
}: {
  rows: Row[];
  t: Translate;
  formatNumber: (n: number) => string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const titleId = useId();
  const descId = useId();
  const byName = useMemo(() => [...rows].sort((a, b) => a.commune.name.localeCompare(b.commune.name)), [rows]);
  const height = mapHeight(byName, width);
  const open = (row: Row) => (row.load ? formatNumber(row.load.posted.open) : '—');
  const labelText = (row: Row) => `${row.commune.name} (${open(row)})`;
  const placed = projectCommunes(byName, width, height);
  const labels = placeLabels(placed, measureTexts(placed.map((p) => labelText(p.row))), width, height);
  const describe = (row: Row) =>
    t('dashboard.mapCommune', {
      name: row.commune.name,
      status: t(`dashboard.${row.commune.status}`),
      open: open(row),
    });
  const alt = t('dashboard.mapAlt', { count: formatNumber(rows.length), details: byName.map(describe).join(' ; ') });

  return (
    <figure className="commune-map" aria-labelledby={titleId}>
      <figcaption id={titleId}>{t('dashboard.map')}</figcaption>
      <p className="table-note">{t('dashboard.mapDesc')}</p>
      <div ref={ref} className="map-box">
        <svg
          role="img"
          aria-labelledby={`${titleId}-svg`}
          aria-describedby={descId}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        >
          <title id={`${titleId}-svg`}>{t('dashboard.map')}</title>
          <desc id={descId}>{alt}</desc>
          <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
          {/* Larger circles first, so that the small ones stay on top and visible. */}
          {[...placed]
            .sort((a, b) => b.r - a.r)
            .map((p) => (
              <g key={p.row.commune.id} className={`map-commune ${p.row.commune.status}`}>
                <title>{describe(p.row)}</title>
                <circle
                  cx={p.x}
                  cy={p.y}
                  r={p.r}
                  fill={statusColours[p.row.commune.status]}
                  fillOpacity={0.8}
                  stroke={statusColours[p.row.commune.status]}
                  strokeWidth={p.row.commune.status === 'incident' ? 3 : 1.5}
                  strokeDasharray={p.row.commune.status === 'recovering' ? '4 3' : undefined}
                />
                {p.row.commune.status === 'incident' && (
                  <circle cx={p.x} cy={p.y} r={p.r + 4} fill="none" stroke="#a4161a" strokeWidth={1.5} />
                )}
              </g>
            ))}
          {/* Labels above every circle. */}
          {placed.map((p, i) => {
            const label = labels[i];
            if (!label) return null;
            return (
              <text key={p.row.commune.id} x={label.x} y={label.y} textAnchor={label.anchor} className="map-label">
                {p.row.commune.name}
                <tspan className="map-count"> ({open(p.row)})</tspan>
              </text>
            );
          })}
        </svg>
      </div>
      <div className="map-legend">
        <span className="legend-title">{t('dashboard.mapLegend')}</span>
        {(['normal', 'recovering', 'incident'] as const).map((status) => (
          <span key={status} className="legend-item">
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
              <circle
                cx="9"
                cy="9"
                r={status === 'incident' ? 6 : 7}
                fill={statusColours[status]}
                fillOpacity={0.8}
                stroke={statusColours[status]}
                strokeWidth={status === 'incident' ? 2 : 1.5}
                strokeDasharray={status === 'recovering' ? '3 2' : undefined}
              />
            </svg>
            {t(`dashboard.${status}`)}
          </span>
        ))}
        <span className="legend-item">{t('dashboard.mapSize')}</span>
      </div>
      <details className="map-text">
        <summary>{t('dashboard.mapList')}</summary>
        <ul>
          {byName.map((row) => (
            <li key={row.commune.id}>{describe(row)}</li>
          ))}
        </ul>
      </details>
    </figure>
  );
}
