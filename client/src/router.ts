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
  'integrations',
  'admin',
  'security',
  'reports',
  'statements',
  'coordination',
  'preferences',
  'webhooks',
  'run-sheets',
  'reconcile',
  'journal',
  'my-commune',
] as const;
type Page = (typeof pages)[number];

/** `home`: no page named (or one unknown), where each role lands (`landing`). */
export type Route = { page: Page } | { page: 'home' } | { page: 'task'; id: string };

const isPage = (path: string): path is Page => (pages as readonly string[]).includes(path);

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const task = /^tasks\/([0-9a-f-]{36})$/.exec(path);
  if (task?.[1]) return { page: 'task', id: task[1] };
  return { page: isPage(path) ? path : 'home' };
}

/** The pages the platform's admin may open: the admin sees no task, no board and no load. */
const adminPages: readonly Route['page'][] = ['admin', 'chain-check'];

/** Where each role starts: the coordinator watches the region's load, the others work the board. */
const homes: Record<Role, Page> = {
  manager: 'board',
  clerk: 'board',
  coordinator: 'dashboard',
  dpo: 'audit',
  admin: 'admin',
};

/**
 * The page a route shows to someone of `role`: with no page named, the role's home. The DPO does not
 * work the tasks (the board answers it 403), so its board is the audit trail; the admin's is the
 * console, and every page about tasks is the console too.
 */
export function landing(route: Route, role: Role): Route {
  if (route.page === 'home') return { page: homes[role] };
  if (role === 'admin') return adminPages.includes(route.page) ? route : { page: 'admin' };
  if (route.page === 'admin') return landing({ page: 'board' }, role);
  return route.page === 'board' && role === 'dpo' ? { page: 'audit' } : route;
}

export function href(route: Route): string {
  if (route.page === 'home') return '#/';
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
