import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Commune } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { subscribeSocket, useConnection } from '../../realtime/socket';
import { loadReducer, noLoads } from './load-state';

// Data: REST at mount and on every (re)connection, then `load:updated` from the socket.

/** Loads are derived data: a slow, periodic reload also catches what time alone changes (done today, 24 h). */
const RELOAD_EVERY_MS = 5 * 60_000;
/** How long a figure that just changed stays highlighted. */
const HIGHLIGHT_MS = 4_000;

export function useRegionLoad() {
  const [state, dispatch] = useReducer(loadReducer, noLoads);
  const [communes, setCommunes] = useState<Commune[]>();
  const connection = useConnection();
  const [error, setError] = useState<ApiError>();
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [loads, list] = await Promise.all([api.communeLoads(), api.communes()]);
      if (!alive.current) return;
      dispatch({ type: 'merge', items: loads, live: false });
      setCommunes(list);
      setError(undefined);
    } catch (err) {
      if (alive.current)
        setError(
          err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 500 }),
        );
    }
  }, []);

  const reloadCommunes = useCallback(async () => {
    const list = await api.communes().catch(() => undefined);
    if (list && alive.current) setCommunes(list);
  }, []);

  useEffect(() => {
    alive.current = true;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void reload();
    const { unsubscribe } = subscribeSocket({
      // Whatever was broadcast while disconnected is lost: fetch the figures again on every connection.
      onConnect: () => void reload(),
      events: {
        'load:updated': (payload) => dispatch({ type: 'merge', items: payload.loads, live: true }),
        // A commune's status follows its incidents.
        'incident:updated': () => void reloadCommunes(),
      },
    });
    const timer = window.setInterval(() => void reload(), RELOAD_EVERY_MS);
    return () => {
      alive.current = false;
      window.clearInterval(timer);
      unsubscribe();
    };
  }, [reload, reloadCommunes]);

  useEffect(() => {
    if (state.changed.size === 0) return;
    const timer = window.setTimeout(() => dispatch({ type: 'settle', generation: state.generation }), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [state.changed, state.generation]);

  return { loads: state.loads, changed: state.changed, communes, connection, error, reload };
}
