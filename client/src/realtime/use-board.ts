import { useCallback, useEffect, useRef, useState } from 'react';
import { BoardFeed } from '../../../shared/board-feed';
import type { BoardSyncAck } from '../../../shared/events';
import type { BoardChange, PublicTask, Task, TaskAbilities } from '../../../shared/schemas';
import { api } from '../api/client';
import { subscribeSocket, useConnection, type Connection } from './socket';
import type { ClientSocket } from './socket-hub';

const noAbilities: TaskAbilities = {
  update: false,
  claim: false,
  start: false,
  complete: false,
  release: false,
  cancel: false,
  reassign: false,
  correctTime: false,
  viewCitizen: false,
};

export interface Board {
  tasks: Task[];
  connection: Connection;
  /** The last change applied, for the screen-reader announcement. */
  lastChange: BoardChange | undefined;
  replace: (task: Task) => void;
  refresh: () => void;
}

/**
 * The region's tasks, kept live: a first page over REST, then every change from the socket through
 * the shared BoardFeed (in order, no duplicates, gaps filled by board:sync). What the user may do with
 * a task comes from the server (`abilities`), refreshed over REST shortly after changes.
 */
export function useBoard(): Board {
  const [tasks, setTasks] = useState<Map<string, Task>>(new Map());
  // Until the first page is in, the board is not live whatever the socket says; if it never comes, offline.
  const [phase, setPhase] = useState<'loading' | 'subscribed' | 'failed'>('loading');
  const socketConnection = useConnection();
  const connection: Connection = phase === 'failed' ? 'offline' : phase === 'loading' ? 'connecting' : socketConnection;
  const [lastChange, setLastChange] = useState<BoardChange>();
  const refreshTimer = useRef<number | undefined>(undefined);

  const load = useCallback(async () => {
    const page = await api.tasks({ status: 'open,claimed,in_progress,done', limit: 100 });
    setTasks(new Map(page.items.map((t) => [t.id, t])));
  }, []);

  const scheduleRefresh = useCallback(() => {
    window.clearTimeout(refreshTimer.current);
    refreshTimer.current = window.setTimeout(() => void load().catch(() => undefined), 400);
  }, [load]);

  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    // Set by the cleanup while the first load is under way.
    const mounted = { cancelled: false };
    const apply = (change: BoardChange) => {
      setLastChange(change);
      if (!('task' in change)) return;
      const incoming: PublicTask = change.task;
      setTasks((current) => {
        const next = new Map(current);
        const known = current.get(incoming.id);
        if (!known || known.version <= incoming.version)
          next.set(incoming.id, { ...incoming, abilities: known?.abilities ?? noAbilities });
        return next;
      });
      scheduleRefresh();
    };
    (async () => {
      // Where the live feed starts: taken before the first page, so nothing falls between the two.
      const head = await api.changes(0, 1).catch(() => undefined);
      await load();
      if (mounted.cancelled) return;
      // The socket is known once subscribed; a sync before that has nowhere to go.
      const link: { socket?: ClientSocket } = {};
      const sync = (since: number) =>
        new Promise<BoardSyncAck>((resolve) => link.socket?.emit('board:sync', { since }, resolve)).then((ack) => {
          if (!ack.ok) throw new Error(ack.problem.detail);
          return ack.page;
        });
      const feed = new BoardFeed({ since: head?.head ?? 0, sync, apply });
      const membership = subscribeSocket({
        onConnect: () => void feed.resync(),
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
      window.clearTimeout(refreshTimer.current);
      unsubscribe?.();
    };
  }, [load, scheduleRefresh]);

  return {
    tasks: [...tasks.values()],
    connection,
    lastChange,
    replace: (task) => setTasks((current) => new Map(current).set(task.id, task)),
    refresh: () => void load(),
  };
}
