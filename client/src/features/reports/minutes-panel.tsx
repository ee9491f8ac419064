import { useEffect, useState } from 'react';
import { reportDay } from '../../../../shared/schemas';
import { reportsApi } from '../../api/reports';
import { useI18n } from '../../i18n/i18n';
import { minutesByHelper, type HelperTime } from './reports-logic';
import './reports.css';

/** On the coordinator's dashboard: the minutes each helping commune has spent this month. */
export function MinutesPanel() {
  const { t, formatNumber } = useI18n();
  const [today] = useState(() => reportDay(new Date()));
  const from = `${today.slice(0, 8)}01`;
  const [rows, setRows] = useState<HelperTime[]>();
  useEffect(() => {
    reportsApi.statement({ from, to: today }).then(
      (s) => setRows(minutesByHelper(s)),
      () => setRows([]),
    );
  }, [from, today]);
  if (!rows) return null;
  return (
    <section aria-labelledby="minutes-title">
      <h2 id="minutes-title">{t('reports.minutesPanel')}</h2>
      <p className="table-note">{t('reports.minutesPanelNote', { from })}</p>
      {rows.length === 0 ? (
        <p>{t('reports.statement.empty')}</p>
      ) : (
        // The dashboard's tables are wide on a phone: this one scrolls within its own box, like the loads.
        <div className="table-scroll" role="region" aria-labelledby="minutes-title" tabIndex={0}>
          <table className="load-table report-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.statement.helper')}</th>
                <th scope="col">{t('reports.statement.tasks')}</th>
                <th scope="col">{t('reports.statement.minutes')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.communeId}>
                  <th scope="row">{r.name}</th>
                  <td className="num">{formatNumber(r.tasks)}</td>
                  <td className="num">{formatNumber(r.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
