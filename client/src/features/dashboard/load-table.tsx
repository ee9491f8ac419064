import type { CommuneStatus } from '../../../../shared/schemas';
import { heldColumns, metric, postedColumns, type MetricKey, type Row } from './load-metrics';
import type { Translate } from '../../i18n/translate';

export type SortKey = 'name' | 'status' | MetricKey;
export interface Sort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

interface LoadTableProps {
  rows: Row[];
  totals: Record<MetricKey, number>;
  /** `communeId.metric` of the figures to highlight. */
  changed: ReadonlySet<string>;
  sort: Sort;
  onSort: (sort: Sort) => void;
  t: Translate;
  formatNumber: (n: number) => string;
}

/** The region's communes, one row each, with the figures they posted and those they hold; sortable by any column. */
export function LoadTable({ rows, totals, changed, sort, onSort, t, formatNumber }: LoadTableProps) {
  const statusText = (status: CommuneStatus) => t(`dashboard.${status}`);
  const cell = (row: Row, key: MetricKey) => {
    const isChanged = changed.has(`${row.commune.id}.${key}`);
    const isLate = (key === 'overdue' || key === 'heldOverdue') && row.load && metric(row.load, key) > 0;
    return (
      <td key={key} className={`num${isChanged ? ' changed' : ''}${isLate ? ' late' : ''}`}>
        {row.load ? formatNumber(metric(row.load, key)) : '—'}
      </td>
    );
  };
  const sortHeader = (key: SortKey, label: string, rowSpan?: number) => {
    const active = sort.key === key;
    const numeric = key !== 'name' && key !== 'status';
    const next: Sort = {
      key,
      direction: active
        ? sort.direction === 'ascending'
          ? 'descending'
          : 'ascending'
        : numeric
          ? 'descending'
          : 'ascending',
    };
    return (
      <th
        key={key}
        scope="col"
        rowSpan={rowSpan}
        aria-sort={active ? sort.direction : undefined}
        className={numeric ? 'num' : undefined}
      >
        <button
          type="button"
          className="sort"
          onClick={() => onSort(next)}
          title={t('dashboard.sortBy', { column: label })}
        >
          {label}
          <span className="sort-mark" aria-hidden="true">
            {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <>
      <h2 className="table-title">{t('dashboard.tableCaption')}</h2>
      <p className="table-note">{t('dashboard.sortHint')}</p>
      <div className="table-scroll" role="region" aria-label={t('dashboard.tableRegion')} tabIndex={0}>
        <table className="load-table">
          {/* The heading above shows the title; the caption names the table for assistive technology. */}
          <caption className="visually-hidden">{t('dashboard.tableCaption')}</caption>
          <colgroup>
            <col />
            <col />
          </colgroup>
          <colgroup span={postedColumns.length} className="posted" />
          <colgroup span={heldColumns.length} className="held" />
          <colgroup>
            <col />
          </colgroup>
          <thead>
            <tr>
              {sortHeader('name', t('dashboard.commune'), 2)}
              {sortHeader('status', t('dashboard.status'), 2)}
              <th scope="colgroup" colSpan={postedColumns.length} className="group">
                {t('dashboard.posted')}
              </th>
              <th scope="colgroup" colSpan={heldColumns.length} className="group held">
                {t('dashboard.held')}
              </th>
              {sortHeader('throughput24h', t('dashboard.throughput'), 2)}
            </tr>
            <tr>
              {postedColumns.map((c) => sortHeader(c.key, t(c.label)))}
              {heldColumns.map((c) => sortHeader(c.key, t(c.label)))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={3 + postedColumns.length + heldColumns.length}>{t('dashboard.noCommunes')}</td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.commune.id}>
                <th scope="row">{row.commune.name}</th>
                <td>
                  <span className={`status-badge ${row.commune.status}`}>{statusText(row.commune.status)}</span>
                </td>
                {postedColumns.map((c) => cell(row, c.key))}
                {heldColumns.map((c) => cell(row, c.key))}
                {cell(row, 'throughput24h')}
              </tr>
            ))}
          </tbody>
          {rows.length > 0 && (
            <tfoot>
              <tr>
                <th scope="row">{t('dashboard.total')}</th>
                <td />
                {[...postedColumns, ...heldColumns].map((c) => (
                  <td key={c.key} className="num">
                    {formatNumber(totals[c.key])}
                  </td>
                ))}
                <td className="num">{formatNumber(totals.throughput24h)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      <p className="table-note">
        {t('dashboard.overdueNote')} {t('dashboard.throughputNote')}
      </p>
    </>
  );
}
