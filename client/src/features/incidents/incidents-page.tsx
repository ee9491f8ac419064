import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import type { Commune, Incident, User } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

const kinds = ['cyberattack', 'flood', 'fire', 'other'] as const;
const services = ['population', 'etat_civil', 'urbanisme', 'etrangers', 'cpas', 'other'] as const;

/** The region's incidents; a manager declares and closes their commune's, a coordinator any of the region's. */
export function IncidentsPage({ user }: { user: User }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const [list, communeList] = await Promise.all([
      api.incidents(),
      fetch('/api/v1/communes', { credentials: 'same-origin' }).then((r) => r.json() as Promise<{ items: Commune[] }>),
    ]);
    setIncidents(list);
    setCommunes(communeList.items);
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load().catch(() => undefined);
  }, [load]);
  const name = (id: string) => communes.find((c) => c.id === id)?.name ?? '';

  const change = async (incident: Incident, status: 'recovering' | 'closed') => {
    setError(undefined);
    try {
      await api.updateIncident(incident.id, { version: incident.version, status });
      await load();
    } catch (err) {
      setError(say(err));
      await load();
    }
  };

  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidents')}</h1>
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {(user.role === 'manager' || user.role === 'coordinator') && (
        <DeclareForm user={user} communes={communes} onDeclared={() => void load()} />
      )}
      {incidents.length === 0 ? (
        <p>{t('noIncidents')}</p>
      ) : (
        <ul className="incident-list">
          {incidents.map((incident) => (
            <li key={incident.id} className="card">
              <h2>
                {name(incident.communeId)} — {incident.title}
              </h2>
              <p className="meta">
                {t(incident.kind)} · {t(incident.status)} · {t('openedAt', { date: formatDate(incident.openedAt) })}
              </p>
              <p className="meta">{incident.affectedServices.map((s) => t(s)).join(', ')}</p>
              {(incident.abilities?.markRecovering || incident.abilities?.close) && (
                <div className="actions">
                  {incident.abilities.markRecovering && (
                    <button type="button" className="secondary" onClick={() => void change(incident, 'recovering')}>
                      {t('markRecovering')}
                    </button>
                  )}
                  {incident.abilities.close && (
                    <button type="button" onClick={() => void change(incident, 'closed')}>
                      {t('closeIncident')}
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeclareForm({ user, communes, onDeclared }: { user: User; communes: Commune[]; onDeclared: () => void }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [communeId, setCommuneId] = useState('');
  const [kind, setKind] = useState<(typeof kinds)[number]>('cyberattack');
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string>();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.declareIncident({
        kind,
        title,
        affectedServices: chosen as (typeof services)[number][],
        ...(user.role === 'coordinator' ? { communeId } : {}),
      });
      setTitle('');
      setChosen([]);
      onDeclared();
    } catch (err) {
      setError(say(err));
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-labelledby="declare-title">
      <h2 id="declare-title">{t('declareIncident')}</h2>
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {user.role === 'coordinator' && (
        <>
          <label htmlFor="i-commune">{t('communeStatus')}</label>
          <select id="i-commune" value={communeId} onChange={(e) => setCommuneId(e.target.value)} required>
            <option value="">—</option>
            {communes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="i-kind">{t('kind')}</label>
      <select id="i-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof kinds)[number])}>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(k)}
          </option>
        ))}
      </select>
      <label htmlFor="i-title">{t('title')}</label>
      <input id="i-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      <fieldset>
        <legend>{t('services')}</legend>
        {services.map((s) => (
          <label key={s} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(s)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))}
            />{' '}
            {t(s)}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit">{t('declare')}</button>
      </div>
    </form>
  );
}
