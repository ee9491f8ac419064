import { useState } from 'react';
import type { CommuneStatus, Task, TaskType, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { href } from '../../router';
import { SlotLine } from '../appointments/slot-line';

interface Props {
  task: Task;
  user: User;
  communeName: Map<string, string>;
  communeStatus: Map<string, CommuneStatus>;
  typeLabel: Map<string, TaskType>;
  onClaimed: (task: Task) => void;
  onConflict: (current: Task | undefined, holder: string | undefined) => void;
  /** A claim refused for a reason other than another holder (the region's cap), in words. */
  onRefused: (text: string) => void;
}

export function TaskCard(props: Props) {
  const { task, user, communeName, communeStatus, typeLabel, onClaimed, onConflict, onRefused } = props;
  const { t, locale, formatDate } = useI18n();
  const say = useProblemText();
  const [busy, setBusy] = useState(false);
  const type = typeLabel.get(task.type);
  const holder = task.claimedByCommuneId ? communeName.get(task.claimedByCommuneId) : undefined;

  const claim = async () => {
    setBusy(true);
    try {
      onClaimed(await api.claim(task.id));
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === 'claim_cap') {
        onRefused(say(err));
      } else if (err instanceof ApiError && err.status === 409) {
        const current = err.problem.current as Task | undefined;
        onConflict(current, current?.claimedByCommuneId ? communeName.get(current.claimedByCommuneId) : undefined);
      } else throw err;
    } finally {
      setBusy(false);
    }
  };

  return (
    <article
      className={`card priority-${task.priority}${task.overdue ? ' overdue' : ''}`}
      aria-labelledby={`task-${task.id}`}
    >
      <h3 id={`task-${task.id}`}>
        <a href={href({ page: 'task', id: task.id })}>{task.title}</a>
      </h3>
      <p className="meta">
        <span className="task-code">
          <span className="visually-hidden">{t('taskCode')} </span>
          {task.code}
        </span>
        {' · '}
        {type ? (locale === 'fr' ? type.labelFr : type.labelEn) : task.type}
        {' · '}
        {communeName.get(task.requestingCommuneId) ?? ''}
        <CommuneStatusBadge status={communeStatus.get(task.requestingCommuneId)} />
      </p>
      <p className="meta">
        <span className={`badge ${task.priority}`}>{t(task.priority)}</span>
        {task.overdue && <span className="badge overdue">{t('overdue')}</span>} {t('dueOn')}{' '}
        <time dateTime={task.dueAt}>{formatDate(task.dueAt)}</time>
      </p>
      <SlotLine slot={task.slot} />
      {task.claimedByCommuneId && (
        <p className="meta">
          {task.claimedByCommuneId === user.communeId ? t('claimedByYou') : t('claimedBy', { commune: holder ?? '' })}
          {task.status === 'claimed' && task.remindedAt && (
            <>
              {' '}
              <span className="badge reminded" title={t('task.remindedHint')}>
                {t('task.remindedBadge')}
              </span>
            </>
          )}
          {task.status === 'waiting_info' && (
            <>
              {' '}
              <span className="badge waiting" title={t('question.waiting')}>
                {t('question.badge')}
              </span>
            </>
          )}
          {task.status === 'claimed' && task.transferRequestId && (
            <>
              {' '}
              <span className="badge transfer" title={t('transfer.badgeHint')}>
                {t('transfer.badge')}
              </span>
            </>
          )}
        </p>
      )}
      {task.status === 'open' && task.abilities.claim && (
        <button type="button" onClick={() => void claim()} disabled={busy} aria-describedby={`task-${task.id}`}>
          {t('claim')}
        </button>
      )}
    </article>
  );
}

/** A stricken commune stands out wherever it is named. */
export function CommuneStatusBadge({ status }: { status: CommuneStatus | undefined }) {
  const { t } = useI18n();
  if (!status || status === 'normal') return null;
  return (
    <span className={`badge commune-${status}`}>
      {t(status === 'incident' ? 'communeInIncident' : 'communeRecovering')}
    </span>
  );
}
