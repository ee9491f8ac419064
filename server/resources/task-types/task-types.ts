import type { TaskType, TaskTypeCreate } from '../../../shared/schemas';
import { ConflictError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { insertTaskType, listTaskTypes } from './task-types-repo';

export async function listTaskTypesFor(ctx: DomainContext): Promise<{ items: TaskType[] }> {
  return { items: await listTaskTypes(ctx.db) };
}

/** The admin's (endpoint permission). */
export async function createTaskType(ctx: DomainContext, input: TaskTypeCreate): Promise<TaskType> {
  const row = await insertTaskType(ctx.db, input);
  if (!row) throw new ConflictError(`A task type ${input.key} exists already.`, 'duplicate');
  return row;
}
