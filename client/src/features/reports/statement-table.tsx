import { Fragment, useMemo } from 'react';
import type { Statement, StatementTotals } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';

/** A statement as it prints: its period and rate, its lines with a subtotal per pair of communes, the total, the sign-off. */
export function StatementTable({ statement }: { statement: Statement }) {
  const { t, locale, formatDate, formatNumber } = useI18n();
  const money = useMemo(
    () => new Intl.NumberFormat(locale === 'fr' ? 'fr-BE' : 'en-GB', { style: 'currency', currency: 'EUR' }),
    [locale],
  );
  const amount = (cents: number) => money.format(cents / 100);
  const figures = (f: StatementTotals) => (
    <>
      <td className="num">{formatNumber(f.tasks)}</td>
      <td className="num">{formatNumber(f.minutes)}</td>
      <td className="num">{amount(f.amountCents)}</td>
    </>
  );
  const pairKey = (l: { helperCommuneId: string; helpedCommuneId: string }) =>
    `${l.helperCommuneId}/${l.helpedCommuneId}`;

  return (
    <section aria-labelledby="statement-period">
      <h2 id="statement-period">{t('reports.statement.period', { from: statement.from, to: statement.to })}</h2>
      <p className="report-note">
        {t('reports.statement.rateOf', { amount: amount(statement.hourlyRateCents) })} · {t('reports.timeZone')}
      </p>
      {statement.closed ? (
        <p className="sign-off">
          {t('reports.statement.signedOff', {
            name: statement.closed.closedByName,
            date: formatDate(statement.closed.closedAt),
          })}
        </p>
      ) : (
        <p className="notice">{t('reports.statement.open')}</p>
      )}
      {statement.lines.length === 0 ? (
        <p>{t('reports.statement.empty')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="statement-period" tabIndex={0}>
          <table className="load-table report-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.statement.helper')}</th>
                <th scope="col">{t('reports.statement.helped')}</th>
                <th scope="col">{t('reports.statement.type')}</th>
                <th scope="col">{t('reports.statement.tasks')}</th>
                <th scope="col">{t('reports.statement.minutes')}</th>
                <th scope="col">{t('reports.statement.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {statement.pairs.map((pair) => (
                <Fragment key={pairKey(pair)}>
                  {statement.lines
                    .filter((l) => pairKey(l) === pairKey(pair))
                    .map((l) => (
                      <tr key={l.taskType}>
                        <th scope="row">{l.helperCommuneName}</th>
                        <td>{l.helpedCommuneName}</td>
                        <td>{l.taskType}</td>
                        {figures(l)}
                      </tr>
                    ))}
                  <tr className="subtotal">
                    <th scope="row">{pair.helperCommuneName}</th>
                    <td>{pair.helpedCommuneName}</td>
                    <td>{t('reports.statement.subtotal')}</td>
                    {figures(pair)}
                  </tr>
                </Fragment>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t('reports.total')}
                </th>
                {figures(statement.totals)}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
