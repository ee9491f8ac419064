import { msg } from '../../core/messages';
import type { TaskType, TaskTypeCreate, TaskTypeUpdate } from '../../../shared/schemas';
import { ConflictError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { insertTaskType, listTaskTypes, updateTaskType } from './task-types-repo';

export async function listTaskTypesFor(ctx: DomainContext): Promise<{ items: TaskType[] }> {
  return { items: await listTaskTypes(ctx.db) };
}

/** The admin's (endpoint permission). */
export async function createTaskType(ctx: DomainContext, input: TaskTypeCreate): Promise<TaskType> {
  const row = await insertTaskType(ctx.db, input);
  if (!row) throw new ConflictError(msg('task_type_exists', { key: input.key }), 'duplicate');
  return row;
}

/**
 * The admin's (endpoint permission). The key stays: tasks name their type by it. A new default SLA
 * applies to tasks posted from now on; the platform's legal basis shows wherever a region has not
 * worded its own.
 */
export async function changeTaskType(ctx: DomainContext, key: string, input: TaskTypeUpdate): Promise<TaskType> {
  const row = await updateTaskType(ctx.db, key, input);
  if (!row) throw new NotFoundError('task type');
  return row;
}
