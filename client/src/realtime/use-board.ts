import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { BoardFeed } from '../../../shared/board-feed';
import type { BoardSyncAck } from '../../../shared/events';
import type { BoardChange, Task } from '../../../shared/schemas';
import { api } from '../api/client';
import {
  boardColumns,
  boardFilters,
  type BoardColumn,
  type BoardQuery,
  type TypeLabels,
} from '../features/board/board-match';
import { boardReducer, initialBoardState, type BoardState } from '../features/board/board-state';
import { onTheClock } from './on-the-clock';
import { subscribeSocket, useConnection, type Connection } from './socket';
import type { ClientSocket } from './socket-hub';

/** Cards per page of a column: a screenful or two; the next page comes as one scrolls. */
export const boardPageSize = 40;
/**
 * How often the exact counts are read again, to correct any drift of the live adjustments: at the
 * clock's multiples of it, so that a region's boards read them together (`onTheClock`).
 */
const countsEveryMs = 30_000;
/**
 * How often a drill's board (exercise mode) is read again: a drill's changes are never numbered, so
 * they never come through the socket (docs/drills.md).
 */
const drillEveryMs = 5_000;

export interface Board {
  state: BoardState;
  connection: Connection;
  /** The last change applied, for the screen-reader announcement. */
  lastChange: BoardChange | undefined;
  /** A task as the server answered it (a claim, say). */
  replace: (task: Task) => void;
  /** Fetches the column's next page, unless it is loaded to its end or already fetching. */
  loadMore: (column: BoardColumn) => void;
}

/**
 * One page of one column for the query `q` (the first page, or the one after `cursor`), put in the
 * board's state for the load `gen`: the first load, scrolling down a column and exercise mode's re-reads.
 */
async function readColumnPage(
  dispatch: (action: Parameters<typeof boardReducer>[1]) => void,
  q: BoardQuery,
  gen: number,
  column: BoardColumn,
  cursor?: string,
): Promise<void> {
  const page = await api.tasks({
    ...boardFilters(q),
    status: column,
    sort: q.sort,
    limit: boardPageSize,
    ...(cursor === undefined ? {} : { cursor }),
  });
  dispatch({
    type: 'page',
    generation: gen,
    column,
    items: page.items,
    nextCursor: page.nextCursor,
    append: cursor !== undefined,
  });
}

/**
 * The region's board for a query, kept live. Each column is its own server query: its exact count
 * (GET /tasks/counts, one call for all columns), its first page and, as one scrolls, the next ones
 * (keyset cursors). Live changes come from the socket through the shared BoardFeed (in order, no
 * duplicates, gaps filled by board:sync) and are placed by the board reducer; counts and first pages
 * are read again on every reconnection, and the counts every 30 s. What the user may do with a task
 * comes from the server (`abilities`), read again shortly after a loaded task changes.
 */
export function useBoard(query: BoardQuery, typeLabels: TypeLabels): Board {
  const [state, dispatch] = useReducer(boardReducer, query, initialBoardState);
  // Until the first pages are in, the board is not live whatever the socket says; if it never comes, offline.
  const [phase, setPhase] = useState<'loading' | 'subscribed' | 'failed'>('loading');
  const socketConnection = useConnection();
  const connection: Connection = phase === 'failed' ? 'offline' : phase === 'loading' ? 'connecting' : socketConnection;
  const [lastChange, setLastChange] = useState<BoardChange>();

  // The latest state and labels for callbacks that outlive a render (socket handlers, timers).
  const stateRef = useRef(state);
  const labelsRef = useRef(typeLabels);
  const queryRef = useRef(query);
  useEffect(() => {
    stateRef.current = state;
    labelsRef.current = typeLabels;
    queryRef.current = query;
  });
  const generation = useRef(0);
  const fetchingMore = useRef(new Set<string>());

  const loadCounts = useCallback(async (q: BoardQuery, gen: number) => {
    const counts = await api.taskCounts(boardFilters(q));
    dispatch({ type: 'counts', generation: gen, counts });
  }, []);

  /** Counts and first pages for a query, in place of whatever the board showed. */
  const load = useCallback(
    async (q: BoardQuery) => {
      generation.current += 1;
      const gen = generation.current;
      fetchingMore.current.clear();
      dispatch({ type: 'reset', query: q, generation: gen });
      await Promise.all([
        loadCounts(q, gen),
        ...boardColumns.map(async (column) => {
          try {
            await readColumnPage(dispatch, q, gen, column);
          } catch (error) {
            dispatch({ type: 'pageFailed', generation: gen, column });
            throw error;
          }
        }),
      ]);
    },
    [loadCounts],
  );

  const loadMore = useCallback((column: BoardColumn) => {
    const current = stateRef.current;
    const col = current.columns[column];
    if (!col.nextCursor || col.loading || col.loadingMore) return;
    const key = `${current.generation}:${column}:${col.nextCursor}`;
    if (fetchingMore.current.has(key)) return;
    fetchingMore.current.add(key);
    const gen = current.generation;
    dispatch({ type: 'loadingMore', column });
    readColumnPage(dispatch, current.query, gen, column, col.nextCursor)
      .catch(() => dispatch({ type: 'pageFailed', generation: gen, column }))
      .finally(() => fetchingMore.current.delete(key));
  }, []);

  // A new query (filters, search, order): the board starts again from the server.
  const queryKey = JSON.stringify(query);
  const started = useRef(false);
  useEffect(() => {
    if (!started.current) return;
    void load(JSON.parse(queryKey) as BoardQuery).catch(() => undefined);
  }, [queryKey, load]);

  // The counts drift when a task moves whose earlier place the client never saw: read them again.
  useEffect(() => {
    if (state.countsStale === 0) return;
    const timer = window.setTimeout(
      () => void loadCounts(stateRef.current.query, stateRef.current.generation).catch(() => undefined),
      1000,
    );
    return () => window.clearTimeout(timer);
  }, [state.countsStale, loadCounts]);

  useEffect(
    () =>
      onTheClock(() => {
        if (document.visibilityState === 'hidden') return;
        void loadCounts(stateRef.current.query, stateRef.current.generation).catch(() => undefined);
      }, countsEveryMs),
    [loadCounts],
  );

  // Exercise mode: the first pages and the counts, read again in place, every few seconds.
  const drill = query.drill;
  useEffect(() => {
    if (!drill) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'hidden') return;
      const { query: q, generation: gen } = stateRef.current;
      if (q.drill !== drill) return;
      void loadCounts(q, gen).catch(() => undefined);
      for (const column of boardColumns) readColumnPage(dispatch, q, gen, column).catch(() => undefined);
    }, drillEveryMs);
    return () => window.clearInterval(timer);
  }, [drill, loadCounts]);

  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    // Set by the cleanup while the first load is under way.
    const mounted = { cancelled: false };
    // Loaded tasks changed live, whose abilities (what this user may do) the server is asked again.
    const stale = new Set<string>();
    let abilitiesTimer: number | undefined;
    const refreshAbilities = () => {
      const loaded = new Set(boardColumns.flatMap((c) => stateRef.current.columns[c].items.map((t) => t.id)));
      const ids = [...stale].filter((id) => loaded.has(id)).slice(0, 50);
      stale.clear();
      for (const id of ids)
        api.task(id).then(
          (task) => dispatch({ type: 'change', kind: 'updated', task, typeLabels: labelsRef.current }),
          () => undefined,
        );
    };
    const apply = (change: BoardChange) => {
      setLastChange(change);
      if (!('task' in change)) return;
      dispatch({
        type: 'change',
        kind: change.type === 'task:created' ? 'created' : 'updated',
        task: change.task,
        typeLabels: labelsRef.current,
      });
      stale.add(change.task.id);
      window.clearTimeout(abilitiesTimer);
      abilitiesTimer = window.setTimeout(refreshAbilities, 400);
    };
    (async () => {
      // Where the live feed starts: taken before the first pages, so nothing falls between the two.
      const head = await api.changes(0, 1).catch(() => undefined);
      started.current = true;
      await load(queryRef.current);
      if (mounted.cancelled) return;
      // The socket is known once subscribed; a sync before that has nowhere to go.
      const link: { socket?: ClientSocket } = {};
      const sync = (since: number) =>
        new Promise<BoardSyncAck>((resolve) => link.socket?.emit('board:sync', { since }, resolve)).then((ack) => {
          if (!ack.ok) throw new Error(ack.problem.detail);
          return ack.page;
        });
      const feed = new BoardFeed({ since: head?.head ?? 0, sync, apply });
      let connections = 0;
      const membership = subscribeSocket({
        onConnect: () => {
          connections += 1;
          void feed.resync();
          // Back after a cut: what was missed may lie anywhere, so the counts and first pages are read again.
          if (connections > 1) void load(stateRef.current.query).catch(() => undefined);
        },
        events: {
          'task:created': (p) => feed.receive({ type: 'task:created', seq: p.seq, prev: p.prev, at: '', task: p.task }),
          'task:updated': (p) => feed.receive({ type: 'task:updated', seq: p.seq, prev: p.prev, at: '', task: p.task }),
          'incident:updated': (p) =>
            feed.receive({ type: 'incident:updated', seq: p.seq, prev: p.prev, at: '', incident: p.incident }),
        },
      });
      link.socket = membership.socket;
      unsubscribe = membership.unsubscribe;
      setPhase('subscribed');
    })().catch(() => setPhase('failed'));
    return () => {
      mounted.cancelled = true;
      started.current = false;
      window.clearTimeout(abilitiesTimer);
      unsubscribe?.();
    };
  }, [load]);

  return {
    state,
    connection,
    lastChange,
    replace: useCallback(
      (task: Task) => dispatch({ type: 'change', kind: 'updated', task, typeLabels: labelsRef.current }),
      [],
    ),
    loadMore,
  };
}
