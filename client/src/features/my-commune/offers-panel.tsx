import { useState, type SubmitEvent } from 'react';
import { reportDay, type CapacityOffer, type TaskType } from '../../../../shared/schemas';
import { limits } from '../../../../shared/limits';
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

/** What an offer says, as its form holds it: the fields of the create call, and of the change. */
interface OfferDraft {
  taskTypes: string[];
  perDay: number;
  from: string;
  to: string;
}

type Message = { kind: 'ok' | 'conflict'; text: string };

/** A task type's label in the reader's language, by key (the key itself if the type is unknown). */
function useTypeLabel(taskTypes: TaskType[]): (key: string) => string {
  const { locale } = useI18n();
  return (key: string) => {
    const type = taskTypes.find((x) => x.key === key);
    return type ? (locale === 'fr' ? type.labelFr : type.labelEn) : key;
  };
}

/** The fields of an offer, the same to make one and to change one: types, tasks a day, period. */
function OfferFields({
  draft,
  taskTypes,
  onChange,
}: {
  draft: OfferDraft;
  taskTypes: TaskType[];
  onChange: (draft: OfferDraft) => void;
}) {
  const { t } = useI18n();
  const label = useTypeLabel(taskTypes);
  const { taskTypes: types } = draft;
  return (
    <>
      <fieldset>
        <legend>{t('offers.types')}</legend>
        {taskTypes.map((type) => (
          <label key={type.key}>
            <input
              type="checkbox"
              checked={types.includes(type.key)}
              onChange={(e) =>
                onChange({
                  ...draft,
                  taskTypes: e.target.checked ? [...types, type.key] : types.filter((k) => k !== type.key),
                })
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
          max={limits.offerPerDayMax}
          value={draft.perDay}
          onChange={(e) => onChange({ ...draft, perDay: Number(e.target.value) })}
        />
      </label>
      <label>
        {t('offers.from')}
        <input type="date" value={draft.from} onChange={(e) => onChange({ ...draft, from: e.target.value })} />
      </label>
      <label>
        {t('offers.to')}
        <input type="date" value={draft.to} onChange={(e) => onChange({ ...draft, to: e.target.value })} />
      </label>
    </>
  );
}

/**
 * A manager's form to change an offer in place (PATCH; offers carry no version: the server checks the
 * overlap with the commune's other offers under a lock). On a refusal the form stays as typed, with the
 * server's words, and the offer is left as it was.
 */
function OfferEditForm({
  offer,
  taskTypes,
  onSaved,
  onCancel,
}: {
  offer: CapacityOffer;
  taskTypes: TaskType[];
  onSaved: () => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const say = useProblemText();
  const label = useTypeLabel(taskTypes);
  const [draft, setDraft] = useState<OfferDraft>({
    taskTypes: offer.taskTypes,
    perDay: offer.perDay,
    from: offer.from,
    to: offer.to,
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await suggestionsApi.updateOffer(offer.id, draft);
    } catch (err) {
      setProblem(say(err));
      setBusy(false);
      return;
    }
    await onSaved();
  };

  return (
    <form
      className="offer-edit"
      aria-label={t('offers.editLabel', { types: offer.taskTypes.map(label).join(', ') })}
      onSubmit={(e) => void submit(e)}
    >
      {problem && (
        <p className="notice conflict" role="alert">
          {problem}
        </p>
      )}
      <OfferFields draft={draft} taskTypes={taskTypes} onChange={setDraft} />
      <div className="offer-edit-actions">
        <button type="submit" disabled={busy}>
          {t('offers.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('offers.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The commune's capacity offers, offered against used, and a manager's forms to make one or change one. */
export function OffersPanel({ offers, taskTypes, canOffer, onChanged }: Props) {
  const { t } = useI18n();
  const say = useProblemText();
  const label = useTypeLabel(taskTypes);
  const today = reportDay(new Date());
  const [draft, setDraft] = useState<OfferDraft>({ taskTypes: [], perDay: 5, from: today, to: today });
  const [editing, setEditing] = useState<string>();
  const [message, setMessage] = useState<Message>();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await suggestionsApi.createOffer(draft);
      setMessage({ kind: 'ok', text: t('offers.created') });
      setDraft({ ...draft, taskTypes: [] });
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
  const saved = async () => {
    setEditing(undefined);
    setMessage({ kind: 'ok', text: t('offers.updated') });
    await onChanged();
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
        {offers.map((offer) => {
          const types = offer.taskTypes.map(label).join(', ');
          return (
            <li key={offer.id} className="offer" data-offer={offer.id}>
              <strong>{types}</strong> · {t('offers.period', { from: offer.from, to: offer.to })} ·{' '}
              <span className="offer-used">
                {t('offers.usedToday', { used: offer.usedToday, perDay: offer.perDay })}
              </span>
              <meter min={0} max={offer.perDay} value={offer.usedToday} />
              {offer.abilities.update && editing !== offer.id && (
                <button
                  type="button"
                  aria-label={t('offers.editLabel', { types })}
                  onClick={() => {
                    setMessage(undefined);
                    setEditing(offer.id);
                  }}
                >
                  {t('offers.edit')}
                </button>
              )}
              {offer.abilities.delete && (
                <button
                  type="button"
                  aria-label={t('offers.removeLabel', { types })}
                  onClick={() => void remove(offer)}
                >
                  {t('offers.remove')}
                </button>
              )}
              {editing === offer.id && (
                <OfferEditForm
                  offer={offer}
                  taskTypes={taskTypes}
                  onSaved={saved}
                  onCancel={() => setEditing(undefined)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {canOffer && (
        <form className="offer-form" onSubmit={(e) => void submit(e)}>
          <p>{t('offers.intro')}</p>
          <OfferFields draft={draft} taskTypes={taskTypes} onChange={setDraft} />
          <button type="submit">{t('offers.create')}</button>
        </form>
      )}
    </section>
  );
}
