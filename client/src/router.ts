import { useEffect, useState } from 'react';

/** Hash routes: they work from any static server and survive a reload on a borrowed laptop. */
export type Route =
  | { page: 'board' }
  | { page: 'task'; id: string }
  | { page: 'post' }
  | { page: 'incidents' }
  | { page: 'dashboard' }
  | { page: 'accounts' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const task = /^tasks\/([0-9a-f-]{36})$/.exec(path);
  if (task?.[1]) return { page: 'task', id: task[1] };
  if (path === 'post' || path === 'incidents' || path === 'dashboard' || path === 'accounts') return { page: path };
  return { page: 'board' };
}

export function href(route: Route): string {
  return route.page === 'task' ? `#/tasks/${route.id}` : `#/${route.page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
