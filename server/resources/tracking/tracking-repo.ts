import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client';
import { communes, tasks } from '../../db/schema';
import { realTasks } from '../tasks/tasks-repo';

const holder = alias(communes, 'holder');

/**
 * The one statement of a tracking look-up, the same whether the code exists or not: an index look-up by
 * the code's HMAC, which reveals nothing through its timing that a random guess could use. It reads no
 * title, details or citizen data.
 */
export async function findTracked(db: Executor, trackingHash: string) {
  const [row] = await db
    .select({
      status: tasks.status,
      deliveryMode: tasks.deliveryMode,
      updatedAt: tasks.updatedAt,
      requestedOf: communes.name,
      handledBy: holder.name,
    })
    .from(tasks)
    .innerJoin(communes, eq(communes.id, tasks.requestingCommuneId))
    .leftJoin(holder, eq(holder.id, tasks.claimedByCommuneId))
    .where(and(eq(tasks.trackingHash, sql`${trackingHash}`), realTasks()));
  return row;
}
