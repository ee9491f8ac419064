import { useState, type SubmitEvent } from 'react';
import { reportDay, type CapacityOffer, type TaskType } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { suggestionsApi } from '../../api/suggestions';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

interface Props {
  offers: CapacityOffer[];
  taskTypes: TaskType[];
  /** Managers offer; clerks see the offers only. */
  canOffer: boolean;
  onChanged: () => Promise<void>;
}

/** The commune's capacity offers, offered against used, and a manager's form to make one. */
export function OffersPanel({ offers, taskTypes, canOffer, onChanged }: Props) {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const today = reportDay(new Date());
  const [types, setTypes] = useState<string[]>([]);
  const [perDay, setPerDay] = useState(5);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [message, setMessage] = useState<{ kind: 'ok' | 'conflict'; text: string }>();
  const label = (key: string) => {
    const type = taskTypes.find((x) => x.key === key);
    return type ? (locale === 'fr' ? type.labelFr : type.labelEn) : key;
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await suggestionsApi.createOffer({ taskTypes: types, perDay, from, to });
      setMessage({ kind: 'ok', text: t('offers.created') });
      setTypes([]);
      await onChanged();
    } catch (err) {
      const overlap = err instanceof ApiError && err.problem.code === 'offer_overlap';
      setMessage({ kind: 'conflict', text: overlap ? t('offers.overlap') : say(err) });
    }
  };
  const remove = async (offer: CapacityOffer) => {
    try {
      await suggestionsApi.removeOffer(offer.id);
      setMessage({ kind: 'ok', text: t('offers.removed') });
      await onChanged();
    } catch (err) {
      setMessage({ kind: 'conflict', text: say(err) });
    }
  };

  return (
    <section className="offers" aria-labelledby="offers-title">
      <h2 id="offers-title">{t('offers.title')}</h2>
      {message && (
        <p className={`notice ${message.kind}`} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {offers.length === 0 && <p>{t('offers.none')}</p>}
      <ul className="offer-list">
        {offers.map((offer) => (
          <li key={offer.id} className="offer" data-offer={offer.id}>
            <strong>{offer.taskTypes.map(label).join(', ')}</strong> ·{' '}
            {t('offers.period', { from: offer.from, to: offer.to })} ·{' '}
            <span className="offer-used">{t('offers.usedToday', { used: offer.usedToday, perDay: offer.perDay })}</span>
            <meter min={0} max={offer.perDay} value={offer.usedToday} />
            {offer.abilities.delete && (
              <button
                type="button"
                aria-label={t('offers.removeLabel', { types: offer.taskTypes.map(label).join(', ') })}
                onClick={() => void remove(offer)}
              >
                {t('offers.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canOffer && (
        <form className="offer-form" onSubmit={(e) => void submit(e)}>
          <p>{t('offers.intro')}</p>
          <fieldset>
            <legend>{t('offers.types')}</legend>
            {taskTypes.map((type) => (
              <label key={type.key}>
                <input
                  type="checkbox"
                  checked={types.includes(type.key)}
                  onChange={(e) =>
                    setTypes(e.target.checked ? [...types, type.key] : types.filter((k) => k !== type.key))
                  }
                />{' '}
                {label(type.key)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('offers.perDay')}
            <input
              type="number"
              min={1}
              max={1000}
              value={perDay}
              onChange={(e) => setPerDay(Number(e.target.value))}
            />
          </label>
          <label>
            {t('offers.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('offers.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit">{t('offers.create')}</button>
        </form>
      )}
    </section>
  );
}
