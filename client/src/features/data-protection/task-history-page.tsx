import { useEffect, useRef, useState } from 'react';
import type { TaskHistory } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { href } from '../../router';
import { HistorySection } from '../tasks/task-page';
import { shortId } from './audit-details';

/** What the DPO sees of a task named on the audit trail: its history and the check of its chain, never its data. */
export function TaskHistoryPage({ id }: { id: string }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [history, setHistory] = useState<TaskHistory>();
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    api.history(id).then(setHistory, (err: unknown) => setError(say(err)));
  }, [id, say]);

  return (
    <article className="task-detail" aria-labelledby="task-title">
      <p className="no-print">
        <a href={href({ page: 'audit' })}>← {t('citizenData.backToAudit')}</a>
      </p>
      <h1 id="task-title" ref={heading} tabIndex={-1}>
        {t('audit.task', { id: shortId(id) })}
      </h1>
      <p className="hint">{t('citizenData.historyOnly')}</p>
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {history ? <HistorySection history={history} /> : !error && <p role="status">…</p>}
    </article>
  );
}
