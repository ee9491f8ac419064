import type { BoardChange, ChangesPage, TaskHistory } from '../../shared/schemas';
import { chainedFields, eventsSince, lastSequence, listSubjectEvents } from '../db/events-repo';
import { listCitizenReads } from '../db/misc-repo';
import { findTask } from '../db/tasks-repo';
import { findActorsByIds } from '../db/users-repo';
import { ForbiddenError, NotFoundError } from '../errors';
import { canFollowRegion } from '../policies/commune-policy';
import { canUpdateTask, canViewTask } from '../policies/task-policy';
import { presentChange, presentTaskEvent } from '../presenters/task';
import type { NumberedEvent } from '../realtime/sequencer';
import type { Actor } from './actor';
import type { DomainContext } from './context';
import { verifyChain } from './hash-chain';

export async function taskHistory(ctx: DomainContext, actor: Actor, taskId: string): Promise<TaskHistory> {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTask(actor, task)) throw new NotFoundError('task');
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

/** Who read a task's citizen data: for the requesting commune's manager (GDPR access requests). */
export async function citizenReads(ctx: DomainContext, actor: Actor, taskId: string) {
  const task = await findTask(ctx.db, taskId);
  if (!task || !canViewTask(actor, task)) throw new NotFoundError('task');
  if (!canUpdateTask(actor, task))
    throw new ForbiddenError("Only a manager of the requesting commune can see who read this task's citizen data.");
  const rows = await listCitizenReads(ctx.db, taskId);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}

/** Board changes after `since`, in sequence order, scoped to the actor's region. */
export async function changesSince(
  ctx: DomainContext,
  actor: Actor,
  since: number,
  limit: number,
): Promise<ChangesPage> {
  if (!canFollowRegion(actor)) throw new ForbiddenError('Board changes are for the people of a region.');
  // What committed before the question is numbered first, so a writer reads its own writes.
  await ctx.sequencer.flush();
  // The head is read first: every event numbered up to it has committed, so a reader that jumps to
  // it skips nothing, even the events of other regions it could not see anyway.
  const head = await lastSequence(ctx.db);
  const rows = await eventsSince(ctx.db, actor.regionId, since, head, limit + 1);
  const page = rows.slice(0, limit) as NumberedEvent[];
  const items: BoardChange[] = page.map(presentChange);
  const hasMore = rows.length > limit;
  const last = hasMore ? (page[page.length - 1] as NumberedEvent).seq : Math.max(since, head);
  return { items, last, hasMore, head };
}
