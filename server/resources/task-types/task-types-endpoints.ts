import { z } from 'zod';
import { TaskType, TaskTypeCreate } from '../../../shared/schemas';
import { isAdmin } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { createTaskType, listTaskTypesFor } from './task-types';

export const taskTypesEndpoints = [
  endpoint({
    method: 'get',
    path: '/task-types',
    tag: 'task-types',
    summary: 'Task types',
    permission: permission.signedIn,
    responses: { 200: { description: 'Every task type', schema: z.object({ items: z.array(TaskType) }) } },
    handle: ({ ctx }) => listTaskTypesFor(ctx),
  }),

  endpoint({
    method: 'post',
    path: '/task-types',
    tag: 'task-types',
    summary: 'Create a task type (admin)',
    permission: permission.policy(isAdmin, 'Only the platform administrator can do this.'),
    body: TaskTypeCreate,
    responses: { 201: { description: 'Created', schema: TaskType } },
    problems: { 409: 'A task type with that key exists already' },
    handle: ({ ctx, body }) => createTaskType(ctx, body),
  }),
];
