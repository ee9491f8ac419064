import { useCallback, useEffect, useRef, useState } from 'react';
import type { CapacityOffer, PublicTask, SuggestionList, Task, TaskType, User } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { suggestionsApi } from '../../api/suggestions';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { subscribeSocket } from '../../realtime/socket';
import { href } from '../../router';
import { throttled } from '../../realtime/throttled';
import { OffersPanel } from './offers-panel';
import { SuggestionCard } from './suggestion-card';
import './my-commune.css';

/** The held tasks and the suggestions are read again at most this often, however busy the board. */
const LIVE_AT_MOST_EVERY_MS = 1500;

/**
 * "My commune" for its clerks and managers: the tasks it holds by due date, the tasks suggested to it
 * with their reasons (a clerk claims one in one click), and its capacity offers (a manager makes them).
 * Kept live: a task posted, claimed or released anywhere in the region has the held tasks, the
 * suggestions and the offers' use read again (throttled), and a suggested task that leaves `open`
 * loses its card at once.
 */
export function MyCommunePage({ user }: { user: User }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [held, setHeld] = useState<Task[]>();
  const [suggested, setSuggested] = useState<SuggestionList>();
  const [offers, setOffers] = useState<CapacityOffer[]>([]);
  const [taskTypes, setTaskTypes] = useState<TaskType[]>([]);
  const [communeName, setCommuneName] = useState(new Map<string, string>());
  const [notice, setNotice] = useState<{ kind: 'ok' | 'conflict'; text: string }>();
  const [error, setError] = useState<unknown>();
  const communeId = user.communeId ?? '';
  // The tasks the socket last said are not open: an answer asked for before it said so may still list them.
  const closed = useRef(new Set<string>());

  /** What moves with the board: the held tasks, the suggestions, the offers' use. */
  const refresh = useCallback(async () => {
    const [page, list, mine] = await Promise.all([
      api.tasks({ claimedBy: communeId, status: 'claimed,in_progress,waiting_info', sort: 'due', limit: 100 }),
      suggestionsApi.suggested(20),
      suggestionsApi.offers({ communeId }),
    ]);
    setHeld(page.items);
    setSuggested({ ...list, items: list.items.filter((s) => !closed.current.has(s.task.id)) });
    setOffers(mine);
  }, [communeId]);

  const reload = useCallback(async () => {
    try {
      await refresh();
    } catch (err) {
      setError(err);
    }
  }, [refresh]);

  const load = useCallback(async () => {
    try {
      const [, types, communes] = await Promise.all([refresh(), api.taskTypes(), api.communes()]);
      setTaskTypes(types);
      setCommuneName(new Map(communes.map((c) => [c.id, c.name])));
    } catch (err) {
      setError(err);
    }
  }, [refresh]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load();
  }, [load]);

  useEffect(() => {
    const throttle = throttled(() => void refresh().catch(() => undefined), LIVE_AT_MOST_EVERY_MS);
    const seen = (task: PublicTask) => {
      if (task.status === 'open') closed.current.delete(task.id);
      else {
        closed.current.add(task.id);
        setSuggested((list) => list && { ...list, items: list.items.filter((s) => s.task.id !== task.id) });
      }
      throttle.kick();
    };
    const { unsubscribe } = subscribeSocket({
      // Whatever was broadcast while disconnected (or before this page listened) is lost: read again.
      onConnect: throttle.kick,
      events: {
        'task:created': (payload) => seen(payload.task),
        'task:updated': (payload) => seen(payload.task),
      },
    });
    return () => {
      throttle.cancel();
      unsubscribe();
    };
  }, [refresh]);

  const fair = suggested?.fairShare;
  return (
    <section className="my-commune" aria-labelledby="my-commune-title">
      <h1 id="my-commune-title">{t('myCommune.title', { commune: user.communeName ?? '' })}</h1>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {notice && (
        <p className={`notice ${notice.kind}`} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text}
        </p>
      )}
      <section aria-labelledby="todo-title">
        <h2 id="todo-title">{t('myCommune.todo')}</h2>
        {held?.length === 0 && <p>{t('myCommune.todoNone')}</p>}
        <ul className="todo-list">
          {held?.map((task) => (
            <li key={task.id} className={`card priority-${task.priority}${task.overdue ? ' overdue' : ''}`}>
              <a href={href({ page: 'task', id: task.id })}>{task.title}</a>
              <span className="meta">
                {' '}
                · {task.code} · {t('myCommune.due', { date: formatDate(task.dueAt) })}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="suggested-title">
        <h2 id="suggested-title">{t('myCommune.suggested')}</h2>
        {fair && fair.fairPart > 0 && (
          <p className="fair-share">
            {t('myCommune.fairShare', {
              held: fair.held,
              claimed: fair.claimed,
              fair: Math.round(fair.fairPart * 100),
            })}
          </p>
        )}
        {suggested?.items.length === 0 && <p>{t('myCommune.suggestedNone')}</p>}
        <ul className="suggestion-list">
          {suggested?.items.map((s) => (
            <SuggestionCard
              key={s.task.id}
              suggestion={s}
              canClaim={user.role === 'clerk'}
              communeName={communeName}
              onClaimed={(task) => {
                setNotice({ kind: 'ok', text: t('myCommune.claimed', { title: task.title }) });
                void reload();
              }}
              onLost={(text) => {
                setNotice({ kind: 'conflict', text });
                void reload();
              }}
            />
          ))}
        </ul>
      </section>
      <OffersPanel offers={offers} taskTypes={taskTypes} canOffer={user.role === 'manager'} onChanged={reload} />
    </section>
  );
}
