import { useEffect, useState } from 'react';
import type { Role } from '../../shared/schemas';

/** Hash routes: they work from any static server and survive a reload on a borrowed laptop. */
/** The pages reached by a plain name: `#/<page>`. */
const pages = [
  'board',
  'post',
  'incidents',
  'dashboard',
  'accounts',
  'audit',
  'chain-check',
  'data-protection',
  'recoveries',
  'preferences',
] as const;
type Page = (typeof pages)[number];

export type Route = { page: Page } | { page: 'task'; id: string };

const isPage = (path: string): path is Page => (pages as readonly string[]).includes(path);

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const task = /^tasks\/([0-9a-f-]{36})$/.exec(path);
  if (task?.[1]) return { page: 'task', id: task[1] };
  return { page: isPage(path) ? path : 'board' };
}

/**
 * The page a route shows to someone of `role`: the DPO does not work the tasks (the board answers it
 * 403), so its board, and its landing page, is the audit trail.
 */
export function landing(route: Route, role: Role): Route {
  return route.page === 'board' && role === 'dpo' ? { page: 'audit' } : route;
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
