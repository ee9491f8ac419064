import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import type { Commune, Priority, Task, TaskSort, TaskType, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useBoard } from '../../realtime/use-board';
import { href } from '../../router';
import { BoardColumnView } from './board-column';
import { boardColumns, codeInSearch, type BoardQuery } from './board-match';
import { TaskCard } from './task-card';
import { ExerciseToggle, useExercise } from '../drills/exercise';
import { OfferBadges } from '../my-commune/offers-today';

/** The stricken commune's burn-down comes in a chunk of its own, only to its people while it is in incident. */
const OwnBurndown = lazy(() => import('../burndown/burndown-panel').then((m) => ({ default: m.OwnBurndown })));

/** How long the search waits for the typing to pause before asking the server. */
const searchDelayMs = 250;

export function BoardPage({ user }: { user: User }) {
  const { t, locale, formatDate } = useI18n();
  const [types, setTypes] = useState<TaskType[]>([]);
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [filters, setFilters] = useState({
    text: '',
    type: '',
    commune: '',
    priority: '' as Priority | '',
    overdue: false,
    sort: 'due' as TaskSort,
  });
  // The search goes to the server once the typing pauses; the other filters at once.
  const [q, setQ] = useState('');
  const exercise = useExercise();
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(filters.text.trim()), searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [filters.text]);
  const query: BoardQuery = useMemo(
    () => ({
      type: filters.type,
      commune: filters.commune,
      priority: filters.priority,
      overdue: filters.overdue,
      q,
      sort: filters.sort,
      ...(exercise.drillId ? { drill: exercise.drillId } : {}),
    }),
    [filters.type, filters.commune, filters.priority, filters.overdue, filters.sort, q, exercise.drillId],
  );
  const typeLabels = useMemo(() => new Map(types.map((ty) => [ty.key, { fr: ty.labelFr, en: ty.labelEn }])), [types]);
  const board = useBoard(query, typeLabels);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'conflict'; text: string }>();
  const [codeProblem, setCodeProblem] = useState<string>();
  const [printing, setPrinting] = useState(false);

  useEffect(() => {
    void api.taskTypes().then(setTypes, () => undefined);
    void api.communes().then(setCommunes, () => undefined);
  }, []);

  // Printing lays every loaded card in the page, not only those the virtual lists hold.
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  const communeName = useMemo(() => new Map(communes.map((c) => [c.id, c.name])), [communes]);
  const communeStatus = useMemo(() => new Map(communes.map((c) => [c.id, c.status])), [communes]);
  const typeLabel = useMemo(() => new Map(types.map((ty) => [ty.key, ty])), [types]);
  const code = codeInSearch(filters.text);

  const openByCode = async (value: string) => {
    setCodeProblem(undefined);
    try {
      const task = await api.taskByCode(value);
      window.location.hash = href({ page: 'task', id: task.id });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setCodeProblem(t('board.codeUnknown', { code: value }));
      else if (err instanceof ApiError && err.status === 400) setCodeProblem(t('board.codeInvalid'));
      else setCodeProblem(t('board.loadFailed'));
    }
  };

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
  const renderCard = (task: Task) => (
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
  );

  return (
    <section aria-labelledby="board-title">
      <div className="board-head">
        <h1 id="board-title">{t('board')}</h1>
        <p className={`connection ${board.connection}`} role="status">
          <span aria-hidden="true">●</span>{' '}
          {t(board.connection === 'live' ? 'live' : board.connection === 'connecting' ? 'connecting' : 'offline')}
        </p>
      </div>
      <ExerciseToggle />
      {user.communeId && communeStatus.get(user.communeId) === 'incident' && (
        <Suspense fallback={null}>
          <OwnBurndown communeId={user.communeId} />
        </Suspense>
      )}
      <form
        className="filters"
        aria-label={t('filters')}
        onSubmit={(e) => {
          e.preventDefault();
          // Enter on a task's code opens it.
          if (code?.kind === 'valid') void openByCode(code.code);
        }}
      >
        <label>
          {t('search')}
          <input
            type="search"
            value={filters.text}
            aria-describedby={code ? 'search-code' : undefined}
            onChange={(e) => {
              setCodeProblem(undefined);
              setFilters({ ...filters, text: e.target.value });
            }}
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
          <select
            value={filters.priority}
            onChange={(e) => setFilters({ ...filters, priority: e.target.value as Priority | '' })}
          >
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
        {/* Labelled apart, so that its options ("Priorité, …") do not name it. */}
        <span className="field">
          <label htmlFor="board-sort">{t('board.sort')}</label>
          <select
            id="board-sort"
            value={filters.sort}
            onChange={(e) => setFilters({ ...filters, sort: e.target.value as TaskSort })}
          >
            {(['due', 'priority', 'created'] as const).map((sort) => (
              <option key={sort} value={sort}>
                {t(`board.sort_${sort}`)}
              </option>
            ))}
          </select>
        </span>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('printList')}
        </button>
      </form>
      {code && (
        <p id="search-code" className="search-code no-print">
          {code.kind === 'valid' ? (
            <button type="button" className="secondary" onClick={() => void openByCode(code.code)}>
              {t('board.openCode', { code: code.code })}
            </button>
          ) : (
            <span role="alert">{t('board.codeInvalid')}</span>
          )}
          {codeProblem && <span role="alert"> {codeProblem}</span>}
        </p>
      )}
      <p className="print-only">{t('printedOn', { date: formatDate(new Date().toISOString()) })}</p>
      {notice && (
        <p className={`notice ${notice.kind}`} role="alert">
          {notice.text}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <OfferBadges />
      <div className="columns">
        {boardColumns.map((status) => (
          <BoardColumnView
            key={status}
            status={status}
            column={board.state.columns[status]}
            count={board.state.counts?.[status]}
            onNearEnd={board.loadMore}
            printing={printing}
            renderCard={renderCard}
          />
        ))}
      </div>
    </section>
  );
}
