import type { Priority, PublicTask, TaskSort, TaskStatus } from '../../../../shared/schemas';
import { parseTaskCode } from '../../../../shared/task-code';
import { matchesSearch, taskSearchText } from '../../../../shared/task-search';

/** What the board asks the server for: every filter, the search and the order, as the query string says them. */
export interface BoardQuery {
  type: string;
  commune: string;
  priority: Priority | '';
  overdue: boolean;
  /** The search as typed (the server and `matchesBoard` fold it alike). */
  q: string;
  sort: TaskSort;
  /** Exercise mode: the running drill whose made-up tasks the board shows instead of the real ones. */
  drill?: string;
}

export const emptyBoardQuery: BoardQuery = { type: '', commune: '', priority: '', overdue: false, q: '', sort: 'due' };

/** A type's labels, which the search reads as the server's stored search text does. */
export type TypeLabels = ReadonlyMap<string, { fr: string; en: string }>;

/** The query string of a board query (the filters of GET /tasks and /tasks/counts), leaving out those not set. */
export function boardFilters(query: BoardQuery): {
  type?: string;
  commune?: string;
  priority?: Priority;
  overdue?: boolean;
  q?: string;
  drill?: string;
} {
  const q = query.q.trim();
  return {
    ...(query.drill ? { drill: query.drill } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.commune ? { commune: query.commune } : {}),
    ...(query.priority ? { priority: query.priority } : {}),
    ...(query.overdue ? { overdue: true } : {}),
    ...(q ? { q } : {}),
  };
}

/**
 * Whether a task belongs on the board the query selects, as GET /api/v1/tasks decides (its status
 * aside: each column is a status). The one test for tasks that change live; the server's search text
 * is rebuilt from the task and its type's labels with shared/task-search.ts.
 */
export function matchesBoard(task: PublicTask, query: BoardQuery, typeLabels: TypeLabels): boolean {
  // The real board and a drill's never mix.
  if ((task.drillId ?? undefined) !== (query.drill || undefined)) return false;
  if (query.type && task.type !== query.type) return false;
  if (query.commune && task.requestingCommuneId !== query.commune) return false;
  if (query.priority && task.priority !== query.priority) return false;
  if (query.overdue && !task.overdue) return false;
  const q = query.q.trim();
  if (q && !matchesSearch(taskSearchText(task, typeLabels.get(task.type)), q)) return false;
  return true;
}

const priorityRank: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The server's order for a sort (server/resources/tasks/tasks-repo.ts `orders`): by due date, by
 * priority then due date, or newest first; ties by id (a uuid compares as its lower-case text).
 */
export function compareTasks(a: PublicTask, b: PublicTask, sort: TaskSort): number {
  switch (sort) {
    case 'due':
      return byText(a.dueAt, b.dueAt) || byText(a.id, b.id);
    case 'priority':
      return priorityRank[a.priority] - priorityRank[b.priority] || byText(a.dueAt, b.dueAt) || byText(a.id, b.id);
    case 'created':
      return byText(b.createdAt, a.createdAt) || byText(b.id, a.id);
  }
}

/** The board's columns, one status each; a task waiting on its requester's answer has its own, beside in progress. */
export const boardColumns = [
  'open',
  'claimed',
  'in_progress',
  'waiting_info',
  'done',
] as const satisfies readonly TaskStatus[];
export type BoardColumn = (typeof boardColumns)[number];

export const isBoardColumn = (status: TaskStatus): status is BoardColumn =>
  (boardColumns as readonly TaskStatus[]).includes(status);

/**
 * What the search box says about a task code typed in it: a valid one (`lie7k3q9`, any case, the dash
 * optional) can be opened directly; something shaped like a code (with its dash, or a digit) whose
 * check fails is a typing mistake, said so rather than searched in vain.
 */
export function codeInSearch(text: string): { kind: 'valid'; code: string } | { kind: 'invalid' } | undefined {
  const compact = text.replace(/\s+/g, '');
  const parsed = parseTaskCode(compact);
  if (parsed.ok) return { kind: 'valid', code: parsed.code };
  const shaped = /^[A-Za-z]{3}-[0-9A-Za-z]{5}$/.test(compact) || /^[A-Za-z]{3}(?=.*\d)[0-9A-Za-z]{5}$/.test(compact);
  return shaped ? { kind: 'invalid' } : undefined;
}
