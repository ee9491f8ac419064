import { z } from 'zod';
import { limits } from '../../../shared/limits';
import {
  BulkResult,
  CitizenReadList,
  Id,
  QueryBoolean,
  Task,
  TaskCounts,
  TaskCountsQuery,
  TaskCreate,
  TaskExportQuery,
  TaskHistory,
  TaskListQuery,
  TaskPage,
  TaskUpdate,
} from '../../../shared/schemas';
import { endpoint, permission, reply } from '../../http/endpoint';
import { citizenReads, onlyRequestingManagerSeesReads, taskHistory } from './task-history';
import { importRows, taskCsvTemplate } from './task-import';
import { createTasks, onlyManagersPost } from './task-posting';
import {
  countTasksFor,
  forbiddenMessages,
  getTask,
  getTaskByCode,
  listTasksFor,
  onlyRegionMembersSeeTasks,
  updateTask,
} from './tasks';
import { canExportTasks, canListTasks, canPostTasks } from './tasks-policy';
import { exportTasks, onlyManagersAndCoordinatorsExport } from './task-export';

export const tag = 'tasks';
export const TaskParams = z.object({ id: Id.describe('task id') });
const TaskCodeParams = z.object({ code: z.string().max(40, 'must be at most 40 characters').describe('task code') });
const stale = 'Stale version: `current` holds the task as it is';

const BulkQuery = z.strictObject({ dryRun: QueryBoolean.optional() });

/** The tasks themselves: the board's list, posting, one task, its history. The changes of status are in task-actions-endpoints.ts. */
export const tasksEndpoints = [
  endpoint({
    method: 'get',
    path: '/tasks',
    tag,
    summary: 'Tasks you may see: filtered, searched (`q`) and sorted in the database, a page at a time',
    permission: permission.policy(canListTasks, onlyRegionMembersSeeTasks),
    query: TaskListQuery,
    responses: { 200: { description: 'A page of tasks; `nextCursor` reads the next one', schema: TaskPage } },
    problems: { 400: 'A bad filter, sort or search, or a cursor not issued for this order' },
    handle: ({ ctx, actor, query }) => listTasksFor(ctx, actor, query),
  }),

  endpoint({
    method: 'get',
    path: '/tasks/counts',
    tag,
    summary: "Exact counts by status, and overdue, of the tasks the board's filters select",
    permission: permission.policy(canListTasks, onlyRegionMembersSeeTasks),
    query: TaskCountsQuery,
    responses: { 200: { description: 'The counts', schema: TaskCounts } },
    handle: ({ ctx, actor, query }) => countTasksFor(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/tasks',
    tag,
    summary: 'Post a task (manager)',
    permission: permission.policy(canPostTasks, onlyManagersPost),
    body: TaskCreate,
    responses: {
      201: { description: 'Posted', schema: Task },
      200: { description: 'Already posted with this id: a retry', schema: Task },
    },
    handle: async ({ ctx, actor, body }) => {
      const result = await createTasks(ctx, actor, [{ row: 1, input: body }]);
      return reply(result.created ? 201 : 200, result.items[0]?.task);
    },
  }),

  endpoint({
    method: 'get',
    path: '/tasks/import-template.csv',
    tag,
    summary: 'The CSV import template',
    permission: permission.signedIn,
    responses: { 200: { description: 'CSV', schema: z.string(), contentType: 'text/csv' } },
    handle: ({ res }) => {
      res.type('text/csv').attachment('entraide-import.csv').send(taskCsvTemplate());
    },
  }),

  endpoint({
    method: 'get',
    path: '/tasks/export.csv',
    tag,
    summary: "The tasks the board's filters select, as CSV, without citizen data (managers, coordinator)",
    permission: permission.policy(canExportTasks, onlyManagersAndCoordinatorsExport),
    query: TaskExportQuery,
    responses: { 200: { description: 'CSV, formulas escaped', schema: z.string(), contentType: 'text/csv' } },
    handle: ({ ctx, actor, query, res }) => exportTasks(ctx, actor, query, res),
  }),

  endpoint({
    method: 'post',
    path: '/tasks/bulk',
    tag,
    summary: 'Post many tasks: all or none (JSON array or CSV)',
    permission: permission.policy(canPostTasks, onlyManagersPost),
    query: BulkQuery,
    body: z.array(TaskCreate),
    otherBodies: { 'text/csv': z.string() },
    rawBody: true,
    bodyLimitBytes: limits.bulkBodyBytes,
    responses: {
      201: { description: 'All posted', schema: BulkResult },
      200: { description: 'Dry run, or a retry: all rows valid', schema: BulkResult },
    },
    problems: { 413: 'Body too large' },
    handle: async ({ ctx, actor, query, body }) => {
      const { dryRun = false } = query;
      const { rows, errors } = importRows(body);
      const result = await createTasks(ctx, actor, rows, { batch: true, dryRun, priorErrors: errors });
      // 200 for a dry run, or for a retried batch whose tasks all exist already.
      return reply(!dryRun && result.created ? 201 : 200, { dryRun, count: result.items.length, items: result.items });
    },
  }),

  endpoint({
    method: 'get',
    path: '/tasks/by-code/:code',
    tag,
    summary: 'A task by its short code (`LIE-7K3Q9`; any case, dash optional, O read as 0, I and L as 1)',
    permission: permission.signedIn,
    params: TaskCodeParams,
    responses: { 200: { description: 'The task, as GET /tasks/:id answers', schema: Task } },
    problems: { 400: 'Not a valid code: a character is wrong or two are swapped' },
    handle: ({ ctx, actor, params }) => getTaskByCode(ctx, actor, params.code),
  }),

  endpoint({
    method: 'get',
    path: '/tasks/:id',
    tag,
    summary: 'A task, with citizen data when you may read it (the read is recorded)',
    permission: permission.signedIn,
    params: TaskParams,
    responses: { 200: { description: 'The task', schema: Task } },
    handle: ({ ctx, actor, params }) => getTask(ctx, actor, params.id),
  }),

  endpoint({
    method: 'patch',
    path: '/tasks/:id',
    tag,
    summary: 'Edit a task (manager of the requesting commune)',
    permission: permission.policy(canPostTasks, forbiddenMessages.update),
    params: TaskParams,
    body: TaskUpdate,
    ifMatch: true,
    responses: { 200: { description: 'The task as edited', schema: Task } },
    problems: { 409: stale },
    handle: ({ ctx, actor, params, body }) => updateTask(ctx, actor, params.id, body),
  }),

  endpoint({
    method: 'get',
    path: '/tasks/:id/events',
    tag,
    summary: "A task's hash-chained history",
    permission: permission.signedIn,
    params: TaskParams,
    responses: { 200: { description: 'The history, oldest first', schema: TaskHistory } },
    handle: ({ ctx, actor, params }) => taskHistory(ctx, actor, params.id),
  }),

  endpoint({
    method: 'get',
    path: '/tasks/:id/citizen-reads',
    tag,
    summary: "Who read a task's citizen data (manager of the requesting commune)",
    permission: permission.policy(canPostTasks, onlyRequestingManagerSeesReads),
    params: TaskParams,
    responses: { 200: { description: 'The reads, latest first', schema: CitizenReadList } },
    handle: ({ ctx, actor, params }) => citizenReads(ctx, actor, params.id),
  }),
];
