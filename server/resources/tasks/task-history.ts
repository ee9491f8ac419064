import type { TaskHistory } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError } from '../../core/errors';
import { verifyChain } from '../../core/hash-chain';
import type { DomainContext } from '../../context';
import { chainedFields, listSubjectEvents } from '../../db/events';
import { findActorsByIds } from '../accounts/accounts-repo';
import { listCitizenReads } from './citizen-reads-repo';
import { canUpdateTask, canViewTask, canViewTaskHistory } from './tasks-policy';
import { presentTaskEvent } from './tasks-presenter';
import { findTask } from './tasks-repo';

export async function taskHistory(ctx: DomainContext, actor: Actor, taskId: string): Promise<TaskHistory> {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTaskHistory(actor, task)) throw new NotFoundError('task');
  await ctx.sequencer.flush();
  const rows = await listSubjectEvents(ctx.db, { taskId });
  const people = await findActorsByIds(ctx.db, [
    ...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : []))),
  ]);
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return {
    items: rows.map((row) => presentTaskEvent(row, row.actorUserId ? (names.get(row.actorUserId) ?? null) : null)),
    // Events not yet numbered are not hashed yet either; a numbered event without a hash is tampering.
    chainValid: verifyChain(
      rows.flatMap((row) =>
        row.seq === null ? [] : [{ ...chainedFields(row), prevHash: row.prevHash, hash: row.hash ?? '' }],
      ),
    ),
  };
}

export const onlyRequestingManagerSeesReads =
  "Only a manager of the requesting commune can see who read this task's citizen data.";

/** Who read a task's citizen data: for the requesting commune's manager (GDPR access requests). */
export async function citizenReads(ctx: DomainContext, actor: Actor, taskId: string) {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTask(actor, task)) throw new NotFoundError('task');
  if (!canUpdateTask(actor, task)) throw new ForbiddenError(onlyRequestingManagerSeesReads);
  const rows = await listCitizenReads(ctx.db, taskId);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}
