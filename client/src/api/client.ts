import { z } from 'zod';
import {
  AccessCode,
  BulkResult,
  ChangesPage,
  Commune,
  CommuneLoad,
  Incident,
  LoginResponse,
  Me,
  Problem,
  Task,
  TaskCounts,
  TaskHistory,
  TaskPage,
  TaskType,
  UserList,
  type IncidentCreate,
  type IncidentUpdate,
  type TaskCreateInput,
  type TaskCountsQuery,
  type TaskListQuery,
} from '../../../shared/schemas';

/** An API answer that was not a success: the problem document the server sent (RFC 9457). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

/**
 * JSON by default, and problems in the interface's language (a user who chose one in their
 * preferences gets that one); the caller's own headers (a CSV body's type) win.
 */
function requestHeaders(init: RequestInit): Headers {
  const headers = new Headers({ Accept: 'application/json' });
  const language = typeof document === 'undefined' ? undefined : document.documentElement.lang;
  if (language === 'fr' || language === 'en') headers.set('Accept-Language', language);
  if (init.body) headers.set('Content-Type', 'application/json');
  new Headers(init.headers).forEach((value, key) => {
    headers.set(key, value);
  });
  return headers;
}

/** The one way the client calls the API: typed by a shared schema, failures as ApiError. */
export async function call<S extends z.ZodType>(schema: S, path: string, init: RequestInit = {}): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      ...init,
      credentials: 'same-origin',
      headers: requestHeaders(init),
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network' });
  }
  const body = parseBody(await res.text());
  if (!res.ok) {
    const problem = Problem.safeParse(body);
    throw new ApiError(
      problem.success ? problem.data : { type: 'about:blank', title: res.statusText, status: res.status },
    );
  }
  return schema.parse(body);
}

/** A body that is not JSON (a proxy's error page, say) counts as none: the status still says what happened. */
function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON body, POST unless said otherwise. */
export const json = (body: unknown, method = 'POST'): RequestInit => ({ method, body: JSON.stringify(body) });

const TaskTypeList = z.object({ items: z.array(TaskType) });
const IncidentList = z.object({ items: z.array(Incident) });
const CommuneList = z.object({ items: z.array(Commune) });
const CommuneLoadList = z.object({ items: z.array(CommuneLoad) });

type ListQuery = Partial<Omit<TaskListQuery, 'status'>> & { status?: string };
type CountsQuery = Partial<TaskCountsQuery>;

/** The query string of a list's filters, leaving out those not set. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  // Optional fields may be there as undefined, which Object.entries would otherwise not admit.
  for (const [key, value] of Object.entries(query as Record<string, string | number | boolean | undefined>)) {
    const text = value === undefined ? '' : String(value);
    if (text !== '') params.set(key, text);
  }
  return params.toString();
}

export const api = {
  login: (username: string, password: string) => call(LoginResponse, '/auth/login', json({ username, password })),
  /** Signs in with a one-time access code from the coordinator, choosing a new password. */
  loginWithCode: (username: string, code: string, newPassword: string) =>
    call(LoginResponse, '/auth/access-code', json({ username, code, newPassword })),
  logout: () => fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' }),
  users: async () => (await call(UserList, '/users')).items,
  issueAccessCode: (userId: string) => call(AccessCode, `/users/${userId}/access-codes`, { method: 'POST' }),
  me: () => call(Me, '/me'),
  taskTypes: async () => (await call(TaskTypeList, '/task-types')).items,
  tasks: (query: ListQuery) => call(TaskPage, `/tasks?${queryString(query)}`),
  /** Exact counts by status of the tasks the filters select. */
  taskCounts: (query: CountsQuery) => call(TaskCounts, `/tasks/counts?${queryString(query)}`),
  task: (id: string) => call(Task, `/tasks/${id}`),
  /** The task with a code as someone typed it; a mistyped code is a 400 problem. */
  taskByCode: (code: string) => call(Task, `/tasks/by-code/${encodeURIComponent(code)}`),
  claim: (id: string) => call(Task, `/tasks/${id}/claim`, { method: 'POST' }),
  act: (
    id: string,
    action: 'start' | 'complete' | 'release' | 'cancel',
    body: { version: number; note?: string; reason?: string; minutesSpent?: number },
  ) => call(Task, `/tasks/${id}/${action}`, json(body)),
  history: (id: string) => call(TaskHistory, `/tasks/${id}/events`),
  post: (input: TaskCreateInput) => call(Task, '/tasks', json(input)),
  /** A CSV batch: checked only (`dryRun`), or posted all at once. */
  bulkCsv: (csv: string, dryRun: boolean) =>
    call(BulkResult, `/tasks/bulk?dryRun=${dryRun}`, {
      method: 'POST',
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    }),
  incidents: async () => (await call(IncidentList, '/incidents')).items,
  declareIncident: (input: Partial<IncidentCreate>) => call(Incident, '/incidents', json(input)),
  updateIncident: (id: string, input: IncidentUpdate) =>
    call(Incident, `/incidents/${id}`, { method: 'PATCH', body: JSON.stringify(input) }),
  /** The communes of the user's region. */
  communes: async () => (await call(CommuneList, '/communes')).items,
  /** Every commune's load in the user's region. */
  communeLoads: async () => (await call(CommuneLoadList, '/communes/load')).items,
  changes: (since: number, limit = 500) => call(ChangesPage, `/changes?since=${since}&limit=${limit}`),
};
