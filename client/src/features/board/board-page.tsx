import { useEffect, useMemo, useState } from 'react';
import type { Commune, Task, TaskStatus, TaskType, User } from '../../../../shared/schemas';
import { matchesSearch, taskSearchText } from '../../../../shared/task-search';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useBoard } from '../../realtime/use-board';
import { TaskCard } from './task-card';

const columns = ['open', 'claimed', 'in_progress', 'done'] as const satisfies readonly TaskStatus[];
const priorityRank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

export function BoardPage({ user }: { user: User }) {
  const { t, locale, formatNumber, formatDate } = useI18n();
  const board = useBoard();
  const [types, setTypes] = useState<TaskType[]>([]);
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [filters, setFilters] = useState({ text: '', type: '', commune: '', priority: '', overdue: false });
  const [notice, setNotice] = useState<{ kind: 'ok' | 'conflict'; text: string }>();

  useEffect(() => {
    void api.taskTypes().then(setTypes, () => undefined);
    void fetch('/api/v1/communes', { credentials: 'same-origin' })
      .then((r) => r.json() as Promise<{ items: Commune[] }>)
      .then(
        (body) => setCommunes(body.items),
        () => undefined,
      );
  }, []);

  const communeName = useMemo(() => new Map(communes.map((c) => [c.id, c.name])), [communes]);
  const communeStatus = useMemo(() => new Map(communes.map((c) => [c.id, c.status])), [communes]);
  const typeLabel = useMemo(() => new Map(types.map((ty) => [ty.key, ty])), [types]);
  const visible = board.tasks
    .filter((task) => !filters.type || task.type === filters.type)
    .filter((task) => !filters.commune || task.requestingCommuneId === filters.commune)
    .filter((task) => !filters.priority || task.priority === filters.priority)
    .filter((task) => !filters.overdue || task.overdue)
    .filter((task) => {
      if (!filters.text) return true;
      const type = typeLabel.get(task.type);
      // The server's search, on the tasks at hand: case and accents aside, type labels and code too.
      return matchesSearch(taskSearchText(task, type && { fr: type.labelFr, en: type.labelEn }), filters.text);
    })
    .sort((a, b) => priorityRank[a.priority] - priorityRank[b.priority] || a.dueAt.localeCompare(b.dueAt));

  const announce =
    board.lastChange && 'task' in board.lastChange
      ? t(board.lastChange.type === 'task:created' ? 'taskAdded' : 'taskChanged', {
          title: board.lastChange.task.title,
        })
      : '';

  const onClaimed = (task: Task) => {
    board.replace(task);
    setNotice({ kind: 'ok', text: t('claimSucceeded', { title: task.title }) });
  };
  const onConflict = (current: Task | undefined, holder: string | undefined) => {
    if (current) board.replace(current);
    setNotice({ kind: 'conflict', text: t('claimConflict', { commune: holder ?? '?' }) });
  };
  // A claim the region's cap refused: the task stays open, the words say why and what to do.
  const onRefused = (text: string) => setNotice({ kind: 'conflict', text });

  return (
    <section aria-labelledby="board-title">
      <div className="board-head">
        <h1 id="board-title">{t('board')}</h1>
        <p className={`connection ${board.connection}`} role="status">
          <span aria-hidden="true">●</span>{' '}
          {t(board.connection === 'live' ? 'live' : board.connection === 'connecting' ? 'connecting' : 'offline')}
        </p>
      </div>
      <form className="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('search')}
          <input
            type="search"
            value={filters.text}
            onChange={(e) => setFilters({ ...filters, text: e.target.value })}
          />
        </label>
        <label>
          {t('type')}
          <select value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value })}>
            <option value="">{t('all')}</option>
            {types.map((ty) => (
              <option key={ty.key} value={ty.key}>
                {locale === 'fr' ? ty.labelFr : ty.labelEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('commune')}
          <select value={filters.commune} onChange={(e) => setFilters({ ...filters, commune: e.target.value })}>
            <option value="">{t('all')}</option>
            {communes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('priority')}
          <select value={filters.priority} onChange={(e) => setFilters({ ...filters, priority: e.target.value })}>
            <option value="">{t('all')}</option>
            {(['urgent', 'high', 'normal', 'low'] as const).map((p) => (
              <option key={p} value={p}>
                {t(p)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => setFilters({ ...filters, overdue: e.target.checked })}
          />
          {t('overdueOnly')}
        </label>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('printList')}
        </button>
      </form>
      <p className="print-only">{t('printedOn', { date: formatDate(new Date().toISOString()) })}</p>
      {notice && (
        <p className={`notice ${notice.kind}`} role="alert">
          {notice.text}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <div className="columns">
        {columns.map((status) => {
          const inColumn = visible.filter((task) => task.status === status);
          return (
            <section key={status} className="column" aria-labelledby={`col-${status}`}>
              <h2 id={`col-${status}`}>
                {t(status)} <span className="count">{formatNumber(inColumn.length)}</span>
              </h2>
              {inColumn.length === 0 ? (
                <p className="empty">{t('noTasks')}</p>
              ) : (
                <ul>
                  {inColumn.map((task) => (
                    <li key={task.id}>
                      <TaskCard
                        task={task}
                        user={user}
                        communeName={communeName}
                        communeStatus={communeStatus}
                        typeLabel={typeLabel}
                        onClaimed={onClaimed}
                        onConflict={onConflict}
                        onRefused={onRefused}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </section>
  );
}
