import { useState } from 'react';
import type { Suggestion, SuggestionReason, Task } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { Translate } from '../../i18n/translate';
import { href } from '../../router';

const percent = (n: number) => String(Math.round(n * 100));

/** A reason of a suggestion in the reader's language (the API sends data, docs/suggestions.md). */
export function reasonText(t: Translate, reason: SuggestionReason): string {
  switch (reason.kind) {
    case 'urgency':
      return t(`reason.urgency.${reason.value.priority as 'urgent' | 'high' | 'normal' | 'low'}`);
    case 'due':
      return reason.value.overdue
        ? t('reason.due.overdue', { hours: Math.round(-reason.value.hoursLeft) })
        : t('reason.due.left', { hours: Math.round(reason.value.hoursLeft) });
    case 'distance':
      return t('reason.distance', { km: reason.value.km });
    case 'offer':
      return t(reason.points > 0 ? 'reason.offer.room' : 'reason.offer.full', {
        used: reason.value.usedToday,
        perDay: reason.value.perDay,
      });
    case 'fair_share': {
      const { share, fairPart, factor } = reason.value;
      const key =
        factor < 0.95 ? 'reason.fairShare.under' : factor > 1.05 ? 'reason.fairShare.over' : 'reason.fairShare.even';
      return t(key, { share: percent(share), fair: percent(fairPart) });
    }
  }
}

interface Props {
  suggestion: Suggestion;
  canClaim: boolean;
  communeName: Map<string, string>;
  onClaimed: (task: Task) => void;
  onLost: (text: string) => void;
}

/** A suggested task with its reasons and, for a clerk, the one-click claim (the board's claim call). */
export function SuggestionCard({ suggestion, canClaim, communeName, onClaimed, onLost }: Props) {
  const { t, formatDate } = useI18n();
  const [busy, setBusy] = useState(false);
  const { task } = suggestion;
  const claim = async () => {
    setBusy(true);
    try {
      onClaimed(await api.claim(task.id));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const current = err.problem.current as Task | undefined;
        const holder = current?.claimedByCommuneId ? communeName.get(current.claimedByCommuneId) : undefined;
        onLost(
          holder
            ? t('myCommune.claimConflict', { commune: holder, title: task.title })
            : err.problem.code === 'claim_cap'
              ? (err.problem.detail ?? t('myCommune.claimTaken', { title: task.title }))
              : t('myCommune.claimTaken', { title: task.title }),
        );
      } else throw err;
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`card suggestion priority-${task.priority}${task.overdue ? ' overdue' : ''}`}>
      <h3>
        <a href={href({ page: 'task', id: task.id })}>{task.title}</a>
      </h3>
      <p className="meta">
        <span className="task-code">{task.code}</span> ·{' '}
        {t('myCommune.from', { commune: suggestion.requestingCommuneName })} ·{' '}
        {t('myCommune.due', { date: formatDate(task.dueAt) })}
      </p>
      <ul className="reasons">
        {suggestion.reasons.map((r) => (
          <li key={r.kind} className={`reason reason-${r.kind}`} data-kind={r.kind}>
            {reasonText(t, r)}
          </li>
        ))}
      </ul>
      {canClaim && (
        <button
          type="button"
          disabled={busy}
          aria-label={t('myCommune.claimLabel', { title: task.title })}
          onClick={() => void claim()}
        >
          {t('myCommune.claim')}
        </button>
      )}
    </li>
  );
}
