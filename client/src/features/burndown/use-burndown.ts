import { useCallback, useEffect, useRef, useState } from 'react';
import type { Burndown } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { burndownApi } from '../../api/burndown';
import { subscribeSocket } from '../../realtime/socket';
import { throttled } from '../../realtime/throttled';

/** A burn-down is read again at most this often, however busy the board. */
const AT_MOST_EVERY_MS = 15_000;
/** And at least this often: hours go by with no event, and the rates move with them. */
const RELOAD_EVERY_MS = 5 * 60_000;

/**
 * A commune's burn-down, kept fresh: read at mount, after each (re)connection, when the live board
 * says the commune's load changed (throttled), and every few minutes.
 */
export function useBurndown(communeId: string, hours: number) {
  const [burndown, setBurndown] = useState<Burndown>();
  const [error, setError] = useState<ApiError>();
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const answer = await burndownApi.get(communeId, hours);
        if (!alive) return;
        setBurndown(answer);
        setError(undefined);
      } catch (err) {
        if (alive)
          setError(
            err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 500 }),
          );
      }
    };
    const throttle = throttled(() => void load(), AT_MOST_EVERY_MS);
    kick.current = throttle.kick;
    throttle.kick();
    const { unsubscribe } = subscribeSocket({
      onConnect: throttle.kick,
      events: {
        'load:updated': (payload) => {
          if (payload.loads.some((l) => l.communeId === communeId)) throttle.kick();
        },
      },
    });
    const timer = window.setInterval(throttle.kick, RELOAD_EVERY_MS);
    return () => {
      alive = false;
      throttle.cancel();
      window.clearInterval(timer);
      unsubscribe();
    };
  }, [communeId, hours]);

  const retry = useCallback(() => kick.current(), []);
  return { burndown, error, retry };
}
