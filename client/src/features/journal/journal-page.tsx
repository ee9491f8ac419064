import { useEffect, useState, type SubmitEvent } from 'react';
import { reportDay, type Commune, type JournalEntry, type TaskType, type User } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { runSheetsApi } from '../../api/run-sheets';
import { useI18n } from '../../i18n/i18n';
import { messages, type MessageKey } from '../../i18n/messages';
import { useProblemText } from '../../i18n/use-problem-text';
import '../dashboard/dashboard.css';
import '../reports/reports.css';
import './journal.css';

/** The most a page shows (the CSV holds them all). */
const SHOWN_MAX = 5000;

const daysAgo = (n: number) => reportDay(new Date(Date.now() - n * 86_400_000));

interface Loaded {
  communeName: string;
  from: string;
  to: string;
  items: JournalEntry[];
  truncated: boolean;
  withheld: boolean;
}

function Who({ entry }: { entry: JournalEntry }) {
  const { t } = useI18n();
  if (entry.actorKind === 'system') return <>{t('journal.system')}</>;
  return (
    <>
      {entry.actorName ?? '—'}
      {entry.actorCommuneName && <span className="journal-small"> ({entry.actorCommuneName})</span>}
      {entry.onBehalf && <span className="journal-small"> — {t('journal.onBehalf')}</span>}
    </>
  );
}

/**
 * A commune's hand-back journal: every act on its requests in a period, to re-enter in its own
 * registers. Its managers see the citizens (each read recorded by the server); the coordinator
 * chooses the commune and sees none. A CSV download (never citizen data) and a print view.
 */
export function JournalPage({ user }: { user: User }) {
  const { t, locale, formatDate, formatNumber } = useI18n();
  const say = useProblemText();
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [types, setTypes] = useState<TaskType[]>([]);
  const [communeId, setCommuneId] = useState(user.communeId ?? '');
  const [from, setFrom] = useState(() => daysAgo(6));
  const [to, setTo] = useState(() => daysAgo(0));
  const [journal, setJournal] = useState<Loaded>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    api.taskTypes().then(setTypes, setError);
    if (user.role === 'coordinator') {
      api.communes().then((list) => {
        setCommunes(list);
        setCommuneId((id) => id || (list[0]?.id ?? ''));
      }, setError);
    }
  }, [user.role]);

  const show = async (e: SubmitEvent) => {
    e.preventDefault();
    setLoading(true);
    setError(undefined);
    try {
      const period = { from, to };
      let page = await runSheetsApi.journal(communeId, period);
      const items = [...page.items];
      while (page.nextCursor && items.length < SHOWN_MAX) {
        page = await runSheetsApi.journal(communeId, period, page.nextCursor);
        items.push(...page.items);
      }
      setJournal({
        communeName: page.communeName,
        from,
        to,
        items: items.slice(0, SHOWN_MAX),
        truncated: page.nextCursor !== null || items.length > SHOWN_MAX,
        withheld: page.citizenWithheld !== undefined,
      });
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  const label = (key: string) => {
    const type = types.find((ty) => ty.key === key);
    return type ? (locale === 'fr' ? type.labelFr : type.labelEn) : key;
  };
  const action = (a: string) => {
    const key = `action_${a}`;
    return key in messages.fr ? t(key as MessageKey) : a;
  };

  return (
    <section className="report journal" aria-labelledby="journal-title">
      <h1 id="journal-title">
        {journal
          ? t('journal.titleOf', { commune: journal.communeName, from: journal.from, to: journal.to })
          : t('journal.title')}
      </h1>
      <p className="no-print">{t('journal.intro')}</p>
      <form className="report-controls no-print" onSubmit={(e) => void show(e)}>
        {user.role === 'coordinator' && (
          <>
            <label htmlFor="journal-commune">{t('journal.commune')}</label>
            <select id="journal-commune" value={communeId} onChange={(e) => setCommuneId(e.target.value)}>
              {communes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="journal-from">{t('journal.from')}</label>
        <input id="journal-from" type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor="journal-to">{t('journal.to')}</label>
        <input id="journal-to" type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
        <button type="submit" disabled={loading || !communeId}>
          {t('journal.show')}
        </button>
        {journal && (
          <>
            <a className="button secondary" href={runSheetsApi.journalCsvHref(communeId, journal)} download>
              {t('journal.csv')}
            </a>
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t('journal.print')}
            </button>
          </>
        )}
      </form>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {loading && <p role="status">{t('journal.loading')}</p>}
      {journal && (
        <>
          <p className="report-note">
            {t('journal.count', { n: formatNumber(journal.items.length) })} {t('journal.timeZone')}
          </p>
          {journal.withheld && <p className="notice">{t('journal.withheld')}</p>}
          {journal.truncated && <p className="notice">{t('journal.truncated', { n: formatNumber(SHOWN_MAX) })}</p>}
          {journal.items.length === 0 ? (
            <p>{t('journal.empty')}</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="journal-title" tabIndex={0}>
              <table className="report-table journal-table">
                <thead>
                  <tr>
                    <th scope="col">{t('journal.at')}</th>
                    <th scope="col">{t('journal.task')}</th>
                    <th scope="col">{t('journal.action')}</th>
                    <th scope="col">{t('journal.by')}</th>
                    <th scope="col">{t('journal.note')}</th>
                    <th scope="col">{t('journal.citizen')}</th>
                  </tr>
                </thead>
                <tbody>
                  {journal.items.map((e) => (
                    <tr key={e.id}>
                      <td>
                        <time dateTime={e.at}>{formatDate(e.at)}</time>
                      </td>
                      <td>
                        <span className="journal-code">{e.code}</span>
                        <span className="journal-small"> {label(e.type)}</span>
                        <br />
                        {e.title}
                      </td>
                      <td>{action(e.action)}</td>
                      <td>
                        <Who entry={e} />
                      </td>
                      <td>
                        {e.note}
                        {e.minutesSpent !== null && (
                          <span className="journal-small"> {t('journal.minutes', { n: e.minutesSpent })}</span>
                        )}
                      </td>
                      <td>
                        {e.citizen && (
                          <>
                            {e.citizen.fullName}
                            {e.citizen.nationalNumber && (
                              <span className="journal-small"> {e.citizen.nationalNumber}</span>
                            )}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
