import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as s from '../shared/schemas';

type Method = RouteConfig['method'];

/** The OpenAPI 3 document, generated from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: s.Problem } },
  });
  const json = (schema: z.ZodType, description = 'OK') => ({
    description,
    content: { 'application/json': { schema } },
  });
  const errors = {
    400: problem('Invalid input, with one entry per field in `errors`'),
    401: problem('Not signed in'),
    403: problem('Your role may not do this'),
    404: problem('Not found, or not visible to you'),
  };
  const idParam = z.object({ id: s.Id });
  const route = (method: Method, path: string, summary: string, extra: Partial<RouteConfig>) =>
    registry.registerPath({
      method,
      path,
      summary,
      tags: [path.split('/')[1] ?? 'api'],
      responses: { 200: json(z.unknown()) },
      ...extra,
    });

  route('post', '/auth/login', 'Sign in', {
    request: { body: { content: { 'application/json': { schema: s.LoginRequest } } } },
    responses: {
      200: json(s.LoginResponse),
      400: errors[400],
      401: errors[401],
      429: problem('Too many failed attempts; see Retry-After'),
    },
  });
  route(
    'post',
    '/auth/access-code',
    'Sign in with a one-time access code from the coordinator, and set a new password',
    {
      request: { body: { content: { 'application/json': { schema: s.AccessCodeLoginRequest } } } },
      responses: {
        200: json(s.LoginResponse),
        400: errors[400],
        401: errors[401],
        429: problem('Too many failed attempts; see Retry-After'),
      },
    },
  );
  route('post', '/auth/logout', 'Sign out', { responses: { 204: { description: 'Signed out' } } });
  route('get', '/me', 'The signed-in user', { responses: { 200: json(s.User), 401: errors[401] } });
  route('get', '/regions', 'Regions you may see', {
    responses: { 200: json(z.object({ items: z.array(s.Region) })), 401: errors[401] },
  });
  route('post', '/regions', 'Create a region (admin)', {
    request: { body: { content: { 'application/json': { schema: s.RegionCreate } } } },
    responses: { 201: json(s.Region, 'Created'), ...errors },
  });
  route('get', '/communes', 'Communes of your region', {
    responses: { 200: json(z.object({ items: z.array(s.Commune) })), 401: errors[401] },
  });
  route('post', '/communes', 'Create a commune (admin)', {
    request: { body: { content: { 'application/json': { schema: s.CommuneCreate } } } },
    responses: { 201: json(s.Commune, 'Created'), ...errors },
  });
  route('get', '/communes/load', "Every commune's load in your region", {
    responses: { 200: json(z.object({ items: z.array(s.CommuneLoad) })), ...errors },
  });
  route('get', '/communes/{id}/load', "A commune's load", {
    request: { params: idParam },
    responses: { 200: json(s.CommuneLoad), ...errors },
  });
  route('get', '/task-types', 'Task types', {
    responses: { 200: json(z.object({ items: z.array(s.TaskType) })), 401: errors[401] },
  });
  route('post', '/task-types', 'Create a task type (admin)', {
    request: { body: { content: { 'application/json': { schema: s.TaskTypeCreate } } } },
    responses: { 201: json(s.TaskType, 'Created'), ...errors },
  });
  route('get', '/incidents', 'Incidents of your region', {
    request: { query: s.IncidentListQuery },
    responses: { 200: json(z.object({ items: z.array(s.Incident) })), ...errors },
  });
  route('post', '/incidents', 'Declare an incident', {
    request: { body: { content: { 'application/json': { schema: s.IncidentCreate } } } },
    responses: {
      201: json(s.Incident, 'Declared'),
      ...errors,
      409: problem('The commune has an open incident already'),
    },
  });
  route('patch', '/incidents/{id}', 'Update or close an incident', {
    request: { params: idParam, body: { content: { 'application/json': { schema: s.IncidentUpdate } } } },
    responses: { 200: json(s.Incident), ...errors, 409: problem('Stale version or impossible change') },
  });
  route('get', '/tasks', 'Tasks you may see, by due date', {
    request: { query: s.TaskListQuery },
    responses: { 200: json(s.TaskPage), ...errors },
  });
  route('post', '/tasks', 'Post a task (manager)', {
    request: { body: { content: { 'application/json': { schema: s.TaskCreate } } } },
    responses: { 201: json(s.Task, 'Posted'), 200: json(s.Task, 'Already posted with this id: a retry'), ...errors },
  });
  route('post', '/tasks/bulk', 'Post many tasks: all or none (JSON array or CSV)', {
    request: {
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: { content: { 'application/json': { schema: z.array(s.TaskCreate) }, 'text/csv': { schema: z.string() } } },
    },
    responses: {
      201: json(s.BulkResult, 'All posted'),
      200: json(s.BulkResult, 'Dry run: all rows valid'),
      ...errors,
      413: problem('Body too large'),
    },
  });
  route('get', '/tasks/import-template.csv', 'The CSV import template', {
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
  });
  route('get', '/tasks/{id}', 'A task, with citizen data when you may read it (the read is recorded)', {
    request: { params: idParam },
    responses: { 200: json(s.Task), ...errors },
  });
  route('patch', '/tasks/{id}', 'Edit a task (manager of the requesting commune)', {
    request: { params: idParam, body: { content: { 'application/json': { schema: s.TaskUpdate } } } },
    responses: { 200: json(s.Task), ...errors, 409: problem('Stale version: `current` holds the task as it is') },
  });
  route('get', '/tasks/{id}/events', "A task's hash-chained history", {
    request: { params: idParam },
    responses: { 200: json(s.TaskHistory), ...errors },
  });
  route('get', '/tasks/{id}/citizen-reads', "Who read a task's citizen data", {
    request: { params: idParam },
    responses: { 200: json(s.CitizenReadList), ...errors },
  });
  const actions: [string, z.ZodType, string][] = [
    ['claim', s.ClaimRequest, 'Claim an open task for your commune (clerk): exactly one claim wins'],
    ['start', s.StartRequest, 'Start a claimed task'],
    ['complete', s.CompleteRequest, 'Complete a task in progress, with an outcome note'],
    ['release', s.ReleaseRequest, 'Give a claimed task back to the board'],
    ['cancel', s.CancelRequest, 'Cancel a task (requesting manager)'],
    ['reassign', s.ReassignRequest, 'Hand a claimed task to another commune (coordinator)'],
  ];
  for (const [action, schema, summary] of actions) {
    route('post', `/tasks/{id}/${action}`, summary, {
      request: { params: idParam, body: { content: { 'application/json': { schema } } } },
      responses: {
        200: json(s.Task),
        ...errors,
        409: problem('Conflict: claimed by another commune, stale version or impossible change'),
      },
    });
  }
  route('get', '/changes', 'Board changes after a sequence number, in commit order', {
    request: { query: s.ChangesQuery },
    responses: { 200: json(s.ChangesPage), ...errors },
  });
  route('get', '/users', 'Accounts (admin: all; coordinator: the managers and clerks of the region)', {
    responses: { 200: json(s.UserList), ...errors },
  });
  route(
    'post',
    '/users/{id}/access-codes',
    "Issue a one-time access code (the region's coordinator, or the admin); shown once",
    {
      request: { params: idParam },
      responses: { 201: json(s.AccessCode, 'Issued'), ...errors },
    },
  );
  route('post', '/users', 'Create an account (admin)', {
    request: { body: { content: { 'application/json': { schema: s.UserCreate } } } },
    responses: { 201: json(s.User, 'Created'), ...errors },
  });
  route('patch', '/users/{id}', 'Change or deactivate an account (admin)', {
    request: { params: idParam, body: { content: { 'application/json': { schema: s.UserUpdate } } } },
    responses: { 200: json(s.User), ...errors },
  });

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Entraide API',
      version: '1',
      description:
        'Inter-municipal mutual aid broker. Sign in with POST /auth/login; the session cookie authenticates the rest. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/api/v1' }],
  });
}
