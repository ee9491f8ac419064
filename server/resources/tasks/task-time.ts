import type { Task, TimeCorrection } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { transaction, type Executor } from '../../db/client';
import { eventMeta } from '../../db/events';
import { closedStatementCovering, lockRegion } from '../reports/statements-repo';
import { canMove, lifecycle } from './task-rules';
import { forbiddenMessages, invalidTransition, staleVersion } from './tasks';
import { canViewTask, canWorkTask } from './tasks-policy';
import { presentTask } from './tasks-presenter';
import { findTask, updateTaskIf } from './tasks-repo';
import { msg } from '../../core/messages';

async function visibleTask(db: Executor, actor: Actor, taskId: string) {
  const row = await findTask(db, taskId);
  if (!row || !canViewTask(actor, row)) throw new NotFoundError('task');
  return row;
}

/**
 * The holder's clerk corrects the minutes a done task took, against the version they saw, until a
 * closed cost statement covers the day it was done (409 `statement_closed`). The region's row is
 * shared for the transaction, so a statement being closed meanwhile either counts the new minutes
 * or refuses them. The correction is an event of the task's history.
 */
export async function correctTaskTime(
  ctx: DomainContext,
  actor: Actor,
  taskId: string,
  body: TimeCorrection,
): Promise<Task> {
  const updated = await transaction(ctx.db, async (tx) => {
    const row = await visibleTask(tx, actor, taskId);
    if (!canWorkTask(actor, row)) throw new ForbiddenError(forbiddenMessages.correct_time);
    if (row.version !== body.version) throw staleVersion(actor, row, body.version);
    if (!canMove(row.status, 'correct_time') || !row.doneAt) throw invalidTransition(actor, row, 'correct_time');
    await lockRegion(tx, row.regionId, 'correct');
    if (await closedStatementCovering(tx, row.regionId, row.doneAt)) {
      throw new ConflictError(msg('statement_closed'), 'statement_closed', presentTask(actor, row));
    }
    const note = `${row.minutesSpent ?? '?'} → ${body.minutesSpent} min`;
    const changed = await updateTaskIf(
      tx,
      { taskId, version: body.version, from: lifecycle.correct_time },
      { minutesSpent: body.minutesSpent },
      eventMeta(actor, 'correct_time', row.status, note),
    );
    if (!changed) throw staleVersion(actor, await visibleTask(tx, actor, taskId), body.version);
    return changed;
  });
  ctx.sequencer.kick();
  return presentTask(actor, updated);
}
