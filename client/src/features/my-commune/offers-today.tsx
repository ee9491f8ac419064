import { useEffect, useState } from 'react';
import type { CapacityOffer } from '../../../../shared/schemas';
import { suggestionsApi } from '../../api/suggestions';
import { useI18n } from '../../i18n/i18n';
import './my-commune.css';

/** Today's offers of the region, summed per commune: offered a day against used today. */
function perCommune(offers: CapacityOffer[]) {
  const rows = new Map<string, { communeId: string; name: string; perDay: number; used: number }>();
  for (const o of offers) {
    const row = rows.get(o.communeId) ?? { communeId: o.communeId, name: o.communeName, perDay: 0, used: 0 };
    row.perDay += o.perDay;
    row.used += o.usedToday;
    rows.set(o.communeId, row);
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function useTodaysOffers() {
  const [offers, setOffers] = useState<CapacityOffer[]>();
  useEffect(() => {
    let live = true;
    suggestionsApi.offers({ current: true }).then(
      (items) => {
        if (live) setOffers(items);
      },
      () => {
        if (live) setOffers([]);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return offers;
}

/** The coordinator's dashboard: each commune's offer of today against what it used. */
export function OffersTable() {
  const { t } = useI18n();
  const offers = useTodaysOffers();
  if (!offers || offers.length === 0) return null;
  return (
    <section className="offers-today" aria-labelledby="offers-today-title">
      <h2 id="offers-today-title">{t('offers.dashboard')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('offers.commune')}</th>
            <th scope="col">{t('offers.offered')}</th>
            <th scope="col">{t('offers.used')}</th>
          </tr>
        </thead>
        <tbody>
          {perCommune(offers).map((row) => (
            <tr key={row.communeId} data-commune={row.communeId}>
              <th scope="row">{row.name}</th>
              <td>{row.perDay}</td>
              <td>
                {row.used} <meter min={0} max={row.perDay} value={row.used} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The board: a badge per commune offering capacity today, with what it used. */
export function OfferBadges() {
  const { t } = useI18n();
  const offers = useTodaysOffers();
  if (!offers || offers.length === 0) return null;
  return (
    <ul className="offer-badges" aria-label={t('offers.title')}>
      {perCommune(offers).map((row) => (
        <li key={row.communeId} className="badge">
          {row.name} · {t('offers.badge', { used: row.used, perDay: row.perDay })}
        </li>
      ))}
    </ul>
  );
}
