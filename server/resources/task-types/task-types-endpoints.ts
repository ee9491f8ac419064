import { z } from 'zod';
import { TaskType, TaskTypeCreate, TaskTypeKey, TaskTypeUpdate } from '../../../shared/schemas';
import { isAdmin } from '../../core/actor';
import { endpoint, permission } from '../../http/endpoint';
import { changeTaskType, createTaskType, listTaskTypesFor } from './task-types';
import { msg } from '../../core/messages';

const onlyAdmin = msg('only_admin');
const TaskTypeParams = z.object({ key: TaskTypeKey.describe('task type key') });

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
    permission: permission.policy(isAdmin, onlyAdmin),
    body: TaskTypeCreate,
    responses: { 201: { description: 'Created', schema: TaskType } },
    problems: { 409: 'A task type with that key exists already' },
    handle: ({ ctx, body }) => createTaskType(ctx, body),
  }),

  endpoint({
    method: 'patch',
    path: '/task-types/:key',
    tag: 'task-types',
    summary: "Change a task type's labels, category, default SLA or legal basis (admin); its key stays",
    permission: permission.policy(isAdmin, onlyAdmin),
    params: TaskTypeParams,
    body: TaskTypeUpdate,
    responses: { 200: { description: 'The task type as it is now', schema: TaskType } },
    handle: ({ ctx, params, body }) => changeTaskType(ctx, params.key, body),
  }),
];
