import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/events';
import { Commune, CommuneLoad, Problem } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { allMetrics, metric } from './load-metrics';

// Data: REST at mount and on every (re)connection, then `load:updated` from the socket.

type LoadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Connection = 'connecting' | 'live' | 'offline';

/** Loads are derived data: a slow, periodic reload also catches what time alone changes (done today, 24 h). */
const RELOAD_EVERY_MS = 5 * 60_000;
/** How long a figure that just changed stays highlighted. */
const HIGHLIGHT_MS = 4_000;

const LoadList = z.object({ items: z.array(CommuneLoad) });
const CommuneList = z.object({ items: z.array(Commune) });

async function getJson<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network' });
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const problem = Problem.safeParse(body);
    throw new ApiError(
      problem.success ? problem.data : { type: 'about:blank', title: res.statusText, status: res.status },
    );
  }
  return schema.parse(body);
}

interface LoadState {
  loads: ReadonlyMap<string, CommuneLoad>;
  /** `communeId.metric` of the figures the last live update changed. */
  changed: ReadonlySet<string>;
  /** Bumped by every live update that changed something, to time the highlight out. */
  generation: number;
}
type LoadAction = { type: 'merge'; items: CommuneLoad[]; live: boolean } | { type: 'settle'; generation: number };

function loadReducer(state: LoadState, action: LoadAction): LoadState {
  if (action.type === 'settle')
    return action.generation === state.generation ? { ...state, changed: new Set<string>() } : state;
  const loads = new Map(state.loads);
  const changed = new Set<string>();
  for (const item of action.items) {
    const known = loads.get(item.communeId);
    // A REST answer and a broadcast may cross: keep the most recently computed figures.
    if (known && Date.parse(known.at) > Date.parse(item.at)) continue;
    loads.set(item.communeId, item);
    if (known && action.live)
      for (const key of allMetrics)
        if (metric(known, key) !== metric(item, key)) changed.add(`${item.communeId}.${key}`);
  }
  if (changed.size === 0) return { ...state, loads };
  return { loads, changed, generation: state.generation + 1 };
}

export function useRegionLoad() {
  const [state, dispatch] = useReducer(loadReducer, {
    loads: new Map<string, CommuneLoad>(),
    changed: new Set<string>(),
    generation: 0,
  });
  const [communes, setCommunes] = useState<Commune[]>();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<ApiError>();
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [loads, list] = await Promise.all([getJson(LoadList, '/communes/load'), getJson(CommuneList, '/communes')]);
      if (!alive.current) return;
      dispatch({ type: 'merge', items: loads.items, live: false });
      setCommunes(list.items);
      setError(undefined);
    } catch (err) {
      if (alive.current)
        setError(
          err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 500 }),
        );
    }
  }, []);

  const reloadCommunes = useCallback(async () => {
    const list = await getJson(CommuneList, '/communes').catch(() => undefined);
    if (list && alive.current) setCommunes(list.items);
  }, []);

  useEffect(() => {
    alive.current = true;
    void reload();
    const socket: LoadSocket = io({ transports: ['websocket', 'polling'] });
    // Whatever was broadcast while disconnected is lost: fetch the figures again on every connection.
    socket.on('connect', () => {
      setConnection('live');
      void reload();
    });
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('load:updated', (payload) => dispatch({ type: 'merge', items: payload.loads, live: true }));
    // A commune's status follows its incidents.
    socket.on('incident:updated', () => void reloadCommunes());
    const timer = window.setInterval(() => void reload(), RELOAD_EVERY_MS);
    return () => {
      alive.current = false;
      window.clearInterval(timer);
      socket.close();
    };
  }, [reload, reloadCommunes]);

  useEffect(() => {
    if (state.changed.size === 0) return;
    const timer = window.setTimeout(() => dispatch({ type: 'settle', generation: state.generation }), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [state.changed, state.generation]);

  return { loads: state.loads, changed: state.changed, communes, connection, error, reload };
}
