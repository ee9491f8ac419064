import { useId, useMemo, useState } from 'react';
import type { Burndown } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import { BurndownChart } from './burndown-chart';
import { chartPoints, outlookOf, recentCounts } from './burndown-logic';
import { useBurndown } from './use-burndown';
import './burndown.css';

/** The outlook in words: the sentence, and its short form for a summary line. */
function useOutlookText() {
  const { t, formatDate } = useI18n();
  return (b: Burndown, short = false): string => {
    const outlook = outlookOf(b);
    if (outlook.kind === 'clear') return t('burndown.clear');
    if (outlook.kind === 'eta')
      return t(short ? 'burndown.etaShort' : 'burndown.eta', { date: formatDate(outlook.at) });
    return t(short ? 'burndown.stalledShort' : 'burndown.stalled');
  };
}

function useHourFormat() {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-BE' : 'en-GB', {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}

/** The figures and the chart of one burn-down. */
function BurndownBody({ burndown }: { burndown: Burndown }) {
  const { t, formatNumber } = useI18n();
  const outlookText = useOutlookText();
  const formatHour = useHourFormat();
  const recent = recentCounts(burndown);
  const outlook = outlookOf(burndown);
  return (
    <>
      <p className={`burndown-outlook ${outlook.kind}`}>{outlookText(burndown)}</p>
      <p className="burndown-figures">
        <strong>{t('burndown.pendingNow', { count: formatNumber(burndown.backlog) })}</strong> ·{' '}
        {t('burndown.recent', {
          posted: formatNumber(recent.posted),
          done: formatNumber(recent.done),
          cancelled: formatNumber(recent.cancelled),
        })}
      </p>
      <BurndownChart
        title={t('burndown.chart')}
        desc={t('burndown.chartDesc', {
          hours: burndown.hours.length,
          count: formatNumber(burndown.backlog),
          outlook: outlookText(burndown),
        })}
        points={chartPoints(burndown)}
        labels={{ backlog: t('burndown.pending'), posted: t('burndown.posted'), finished: t('burndown.finished') }}
        formatNumber={formatNumber}
        formatHour={formatHour}
        loading={t('burndown.loading')}
      />
    </>
  );
}

function Failed({ retry }: { retry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice conflict" role="alert">
      <p>{t('burndown.failed')}</p>
      <button type="button" onClick={retry}>
        {t('burndown.retry')}
      </button>
    </div>
  );
}

/** One commune's burn-down on the dashboard. */
export function BurndownPanel({ communeId, name, hours }: { communeId: string; name: string; hours: number }) {
  const { t } = useI18n();
  const headingId = useId();
  const { burndown, error, retry } = useBurndown(communeId, hours);
  return (
    <article className="burndown" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      {error && !burndown && <Failed retry={retry} />}
      {!burndown && !error && <p>{t('burndown.loading')}</p>}
      {burndown && <BurndownBody burndown={burndown} />}
    </article>
  );
}

const periods = [
  { hours: 24, label: 'burndown.hours24' },
  { hours: 72, label: 'burndown.hours72' },
  { hours: 168, label: 'burndown.hours168' },
] as const;

/** The dashboard's section: a burn-down for each commune in incident. */
export function BurndownList({ communes }: { communes: { id: string; name: string }[] }) {
  const { t } = useI18n();
  const [hours, setHours] = useState(72);
  return (
    <section className="burndowns" aria-labelledby="burndown-title">
      <h2 id="burndown-title">{t('burndown.title')}</h2>
      <p className="table-note">{t('burndown.intro')}</p>
      <label className="burndown-period">
        {t('burndown.period')}{' '}
        <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {periods.map((p) => (
            <option key={p.hours} value={p.hours}>
              {t(p.label)}
            </option>
          ))}
        </select>
      </label>
      <div className="burndown-grid">
        {communes.map((c) => (
          <BurndownPanel key={c.id} communeId={c.id} name={c.name} hours={hours} />
        ))}
      </div>
    </section>
  );
}

/**
 * The stricken commune's own burn-down on its board: one line (pending, and when it will be clear),
 * the chart when opened; recharts is fetched only then.
 */
export function OwnBurndown({ communeId }: { communeId: string }) {
  const { t, formatNumber } = useI18n();
  const outlookText = useOutlookText();
  const [open, setOpen] = useState(false);
  const { burndown, error, retry } = useBurndown(communeId, 72);
  return (
    <details className="burndown burndown-own" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <strong>{t('burndown.own')}</strong>
        {burndown && (
          <span>
            {' '}
            — {t('burndown.pendingNow', { count: formatNumber(burndown.backlog) })}, {outlookText(burndown, true)}
          </span>
        )}
      </summary>
      {open && error && !burndown && <Failed retry={retry} />}
      {open && !burndown && !error && <p>{t('burndown.loading')}</p>}
      {open && burndown && <BurndownBody burndown={burndown} />}
    </details>
  );
}
