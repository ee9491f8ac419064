import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import type { Task, TaskHistory, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import type { MessageKey } from '../../i18n/messages';
import { href } from '../../router';
import '../data-protection/data-protection.css';
import { Viewers } from './viewers';

type Action = 'start' | 'complete' | 'release' | 'cancel';
const needsText: Record<Action, 'note' | 'reason' | undefined> = {
  start: undefined,
  complete: 'note',
  release: 'reason',
  cancel: 'reason',
};

/** Every field of a task, its citizen data when the user may read it, its history, and its actions. */
export function TaskPage({ id, user }: { id: string; user: User }) {
  const { t, locale, formatDate } = useI18n();
  const say = useProblemText();
  const [task, setTask] = useState<Task>();
  const [history, setHistory] = useState<TaskHistory>();
  // Kept as what happened, not words: they follow a change of language without reading the task again
  // (each read of its citizen data is recorded).
  const [error, setError] = useState<{ stale: true } | { err: unknown }>();
  const [pending, setPending] = useState<Action>();
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      const [loaded, events] = await Promise.all([api.task(id), api.history(id)]);
      setTask(loaded);
      setHistory(events);
    } catch (err) {
      setError({ err });
    }
  }, [id]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load().then(() => heading.current?.focus());
  }, [load]);

  const act = async (action: Action, text?: string) => {
    if (!task) return;
    setError(undefined);
    try {
      const field = needsText[action];
      const updated = await api.act(task.id, action, {
        version: task.version,
        ...(field && text ? { [field]: text } : {}),
      });
      // Answers to actions never carry citizen data: keep what was read, while the user may still see it.
      setTask({ ...updated, citizen: updated.abilities.viewCitizen ? task.citizen : undefined });
      setPending(undefined);
      setHistory(await api.history(task.id));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.problem.code === 'stale_version') {
        setError({ stale: true });
        await load();
      } else setError({ err });
      setPending(undefined);
    }
  };

  const errorText = error && ('stale' in error ? t('staleTask') : say(error.err));
  if (!task) return <p role={errorText ? 'alert' : 'status'}>{errorText ?? '…'}</p>;
  const actions = (['start', 'complete', 'release', 'cancel'] as const).filter((a) => task.abilities[a]);

  return (
    <article className="task-detail" aria-labelledby="task-title">
      <p className="no-print">
        <a href={href({ page: 'board' })}>← {t('backToBoard')}</a>
      </p>
      <h1 id="task-title" ref={heading} tabIndex={-1}>
        {task.title}
      </h1>
      <Viewers taskId={task.id} selfId={user.id} />
      {errorText && (
        <p className="notice conflict" role="alert">
          {errorText}
        </p>
      )}
      <dl className="fields">
        <dt>{t('taskCode')}</dt>
        <dd>
          <span className="task-code" title={t('taskCodeHint')}>
            {task.code}
          </span>
        </dd>
        <dt>{t('status')}</dt>
        <dd>
          {t(task.status)}
          {task.status === 'claimed' && task.remindedAt && (
            <>
              {' · '}
              <span className="badge reminded">{t('task.remindedBadge')}</span> {t('task.remindedHint')}
            </>
          )}
        </dd>
        <dt>{t('priority')}</dt>
        <dd>
          {t(task.priority)}
          {task.overdue ? ` · ${t('overdue')}` : ''}
        </dd>
        <dt>{t('due')}</dt>
        <dd>
          <time dateTime={task.dueAt}>{formatDate(task.dueAt)}</time>
        </dd>
        <dt>{t('type')}</dt>
        <dd>{task.type}</dd>
        <dt>{t('deliveryMode')}</dt>
        <dd>{t(task.deliveryMode)}</dd>
        {task.details && (
          <>
            <dt>{t('details')}</dt>
            <dd>{task.details}</dd>
          </>
        )}
        {task.outcome && (
          <>
            <dt>{t('outcomeNote')}</dt>
            <dd>{task.outcome}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="citizen-title">
        <h2 id="citizen-title">{t('citizen')}</h2>
        {task.citizen ? (
          <dl className="fields">
            <dt>{t('fullName')}</dt>
            <dd>{task.citizen.fullName}</dd>
            {task.citizen.nationalNumber && (
              <>
                <dt>{t('nationalNumber')}</dt>
                <dd>{task.citizen.nationalNumber}</dd>
              </>
            )}
            {task.citizen.birthDate && (
              <>
                <dt>{t('birthDate')}</dt>
                <dd>{task.citizen.birthDate}</dd>
              </>
            )}
            {task.citizen.phone && (
              <>
                <dt>{t('phone')}</dt>
                <dd>{task.citizen.phone}</dd>
              </>
            )}
            {task.citizen.email && (
              <>
                <dt>{t('email')}</dt>
                <dd>{task.citizen.email}</dd>
              </>
            )}
            {task.citizen.address && (
              <>
                <dt>{t('address')}</dt>
                <dd>{task.citizen.address}</dd>
              </>
            )}
            {task.legalBasis && (
              <>
                <dt>{t('citizenData.legalBasis')}</dt>
                <dd className="legal-basis">{task.legalBasis[locale]}</dd>
              </>
            )}
          </dl>
        ) : task.citizenWithheld ? (
          <p className="notice withheld">{t(`citizenData.withheld.${task.citizenWithheld}`)}</p>
        ) : (
          <p>{t('citizenHidden')}</p>
        )}
      </section>
      <div className="actions no-print">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            onClick={() => (needsText[action] ? setPending(action) : void act(action))}
          >
            {t(action)}
          </button>
        ))}
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      {pending && (
        <ActionDialog
          action={pending}
          onConfirm={(text) => void act(pending, text)}
          onClose={() => setPending(undefined)}
        />
      )}
      {history && <HistorySection history={history} />}
    </article>
  );
}

/** A task's history, with the check of its hash chain. */
export function HistorySection({ history }: { history: TaskHistory }) {
  const { t, formatDate } = useI18n();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history')}</h2>
      <p className={history.chainValid ? 'ok' : 'error'}>{t(history.chainValid ? 'historyIntact' : 'historyBroken')}</p>
      <ol className="timeline">
        {history.items.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDate(e.at)}</time> — {t(`action_${e.action}` as MessageKey)}
            {e.actorKind === 'system' ? ` · ${t('history.system')}` : e.actorName ? ` · ${e.actorName}` : ''}
            {e.actorKind === 'system' && e.action === 'release' ? ` (${t('history.staleRelease')})` : ''}
            {e.note ? ` : « ${e.note} »` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A modal dialog: focus moves in, Escape closes, and focus returns where it was. */
function ActionDialog({
  action,
  onConfirm,
  onClose,
}: {
  action: Action;
  onConfirm: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const field = needsText[action];
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    onConfirm(text.trim());
  };
  return (
    <dialog ref={dialog} aria-labelledby="dialog-title" onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="dialog-title">{t(action)}</h2>
        <label htmlFor="dialog-text">{t(field === 'note' ? 'outcomeNote' : 'reason')}</label>
        <textarea
          id="dialog-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={3}
          autoFocus
          required={field === 'reason' && action === 'release'}
          maxLength={2000}
        />
        <div className="actions">
          <button type="submit">{t('confirm')}</button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
