import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useExercise } from '../drills/exercise';
import type { Task, TaskHistory, TaskType, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { reportsApi } from '../../api/reports';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import type { MessageKey } from '../../i18n/messages';
import { href } from '../../router';
import '../data-protection/data-protection.css';
import { QuestionPanel } from './question-panel';
import { TransferPanel } from './transfer-panel';
import { taskTypeLabel } from './task-type-label';
import { Viewers } from './viewers';
import { useSlotText } from '../appointments/slot-line';

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
  const exercise = useExercise();
  const slotText = useSlotText();
  const say = useProblemText();
  const [task, setTask] = useState<Task>();
  const [history, setHistory] = useState<TaskHistory>();
  // Kept as what happened, not words: they follow a change of language without reading the task again
  // (each read of its citizen data is recorded).
  const [error, setError] = useState<{ stale: true } | { err: unknown }>();
  const [pending, setPending] = useState<Action>();
  // The usual minutes of the task's type: what a completion counts unless the clerk says otherwise.
  const [usualMinutes, setUsualMinutes] = useState<number>();
  const [types, setTypes] = useState<TaskType[]>();
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      const [loaded, events, types] = await Promise.all([api.task(id), api.history(id), api.taskTypes()]);
      setTask(loaded);
      setHistory(events);
      setUsualMinutes(types.find((type) => type.key === loaded.type)?.defaultMinutes);
      setTypes(types);
    } catch (err) {
      setError({ err });
    }
  }, [id]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load().then(() => heading.current?.focus());
  }, [load]);

  const act = async (action: Action, text?: string, minutesSpent?: number) => {
    if (!task) return;
    setError(undefined);
    try {
      const field = needsText[action];
      const updated = await api.act(task.id, action, {
        version: task.version,
        ...(field && text ? { [field]: text } : {}),
        ...(action === 'complete' && minutesSpent !== undefined ? { minutesSpent } : {}),
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
      {task.drillId && <p className="hint">{t('drill.taskMark')}</p>}
      {!task.drillId && exercise.drillId && <p className="hint">{t('drill.realTask')}</p>}
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
        <dd>{taskTypeLabel(types, task.type, locale)}</dd>
        {task.slot && (
          <>
            <dt>{t('appointments.slot')}</dt>
            <dd data-testid="task-slot">
              <time dateTime={task.slot.start}>{slotText(task.slot)}</time>
            </dd>
          </>
        )}
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
        {task.minutesSpent !== null && (
          <>
            <dt>{t('time.spent')}</dt>
            <dd>
              {t('reports.minutes', { n: task.minutesSpent })}
              {task.abilities.correctTime && (
                <TimeCorrection
                  task={task}
                  onCorrected={(updated) => {
                    setTask({ ...updated, citizen: updated.abilities.viewCitizen ? task.citizen : undefined });
                    void api.history(task.id).then(setHistory);
                  }}
                />
              )}
            </dd>
          </>
        )}
        {task.trackingCode && (
          <>
            <dt>{t('receipt.codeLabel')}</dt>
            <dd className="tracking-code">{task.trackingCode}</dd>
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
        {task.trackingCode && (
          <button type="button" className="secondary" onClick={printReceipt}>
            {t('receipt.print')}
          </button>
        )}
      </div>
      <QuestionPanel
        task={task}
        onChanged={(updated) => {
          if (!updated) return void load();
          // Answers to actions never carry citizen data: keep what was read, while the user may still see it.
          setTask({ ...updated, citizen: updated.abilities.viewCitizen ? task.citizen : undefined });
          void api.history(task.id).then(setHistory);
        }}
      />
      <TransferPanel task={task} user={user} onChanged={() => void load()} />
      {task.trackingCode && (
        <Receipt task={task} code={task.trackingCode} typeLabel={taskTypeLabel(types, task.type, locale)} />
      )}
      {pending && (
        <ActionDialog
          action={pending}
          usualMinutes={usualMinutes}
          onConfirm={(text, minutes) => void act(pending, text, minutes)}
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
            {e.escalationLevel ? ` (${t(e.escalationLevel >= 2 ? 'history.escalation2' : 'history.escalation1')})` : ''}
            {e.onBehalfOf ? ` ${t('onBehalf.history', { commune: e.onBehalfOf.communeName })}` : ''}
            {e.integration ? ` · ${t('onBehalf.byToken', { name: e.integration.name })}` : ''}
            {e.note ? ` : « ${e.note} »` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Prints the citizen's receipt alone: the page's print rules show only it while this class is set. */
function printReceipt() {
  document.body.classList.add('printing-receipt');
  const done = () => {
    document.body.classList.remove('printing-receipt');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

/**
 * The citizen's receipt: the tracking code and where to follow the request without signing in. No
 * name and no title: the receipt may be lost, and the code alone reveals nothing personal.
 */
function Receipt({ task, code, typeLabel }: { task: Task; code: string; typeLabel: string }) {
  const { t, locale, formatDate } = useI18n();
  const url = `${window.location.origin}/${locale === 'fr' ? 'suivi' : 'track'}/${code}`;
  return (
    <section className="receipt print-receipt-only" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <dl className="fields">
        <dt>{t('receipt.type')}</dt>
        <dd>{typeLabel}</dd>
        <dt>{t('receipt.date')}</dt>
        <dd>{formatDate(task.createdAt)}</dd>
        <dt>{t('receipt.codeLabel')}</dt>
        <dd className="receipt-code">{code}</dd>
      </dl>
      <p>{t('receipt.where')}</p>
      <p className="receipt-url">{url}</p>
      <p className="hint">{t('receipt.keep')}</p>
    </section>
  );
}

/** A modal dialog: focus moves in, Escape closes, and focus returns where it was. */
function ActionDialog({
  action,
  usualMinutes,
  onConfirm,
  onClose,
}: {
  action: Action;
  usualMinutes: number | undefined;
  onConfirm: (text: string, minutesSpent?: number) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('');
  const field = needsText[action];
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    onConfirm(text.trim(), minutes === '' ? undefined : Number(minutes));
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
        {action === 'complete' && (
          <>
            <label htmlFor="dialog-minutes">{t('time.field')}</label>
            <input
              id="dialog-minutes"
              type="number"
              min={1}
              max={1440}
              step={1}
              inputMode="numeric"
              value={minutes}
              placeholder={usualMinutes === undefined ? undefined : String(usualMinutes)}
              aria-describedby="dialog-minutes-hint"
              onChange={(e) => setMinutes(e.target.value)}
            />
            {usualMinutes !== undefined && (
              <p id="dialog-minutes-hint" className="hint">
                {t('time.hint', { n: usualMinutes })}
              </p>
            )}
          </>
        )}
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

/** The holder corrects the minutes a done task took, until a closed statement covers it. */
function TimeCorrection({ task, onCorrected }: { task: Task; onCorrected: (task: Task) => void }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [minutes, setMinutes] = useState(String(task.minutesSpent ?? ''));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      onCorrected(await reportsApi.correctTime(task.id, task.version, Number(minutes)));
      setError(undefined);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="time-correction no-print" onSubmit={(e) => void save(e)}>
      <label htmlFor="time-correction">{t('time.correct')}</label>{' '}
      <input
        id="time-correction"
        type="number"
        min={1}
        max={1440}
        step={1}
        inputMode="numeric"
        required
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
      />{' '}
      <button type="submit">{t('time.save')}</button>
      {saved && <span role="status"> {t('time.saved', { n: task.minutesSpent ?? 0 })}</span>}
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
    </form>
  );
}
