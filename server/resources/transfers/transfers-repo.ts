import { aliasedTable, and, asc, eq, gt, lte, or, sql, type SQL } from 'drizzle-orm';
import { coordinationSettings, type TransferStatus } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import type { EventMeta } from '../../db/events';
import { communeClaimCounts, communes, regionSettings, tasks, transferRequests, users } from '../../db/schema';
import type { TaskRow, TransferRequestRow } from '../../db/schema';
import { changeTasksWithEvents } from '../tasks/tasks-repo';

export type NewTransferRequest = typeof transferRequests.$inferInsert;

/** A request with the names the API shows beside it. */
export type TransferView = TransferRequestRow & {
  taskCode: string;
  taskTitle: string;
  holderCommuneName: string;
  askerCommuneName: string;
  askedByName: string;
};

const holder = aliasedTable(communes, 'holder');
const asker = aliasedTable(communes, 'asker');

function viewQuery(db: Executor) {
  return db
    .select({
      request: transferRequests,
      taskCode: tasks.code,
      taskTitle: tasks.title,
      holderCommuneName: holder.name,
      askerCommuneName: asker.name,
      askedByName: users.displayName,
    })
    .from(transferRequests)
    .innerJoin(tasks, eq(tasks.id, transferRequests.taskId))
    .innerJoin(holder, eq(holder.id, transferRequests.holderCommuneId))
    .innerJoin(asker, eq(asker.id, transferRequests.askerCommuneId))
    .innerJoin(users, eq(users.id, transferRequests.askedByUserId));
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];
const toView = ({ request, ...names }: ViewRow): TransferView => ({ ...request, ...names });

export async function findTransfer(db: Executor, id: string): Promise<TransferView | undefined> {
  const [row] = await viewQuery(db).where(eq(transferRequests.id, id));
  return row && toView(row);
}

/** Where a page of open requests starts: after this request (created at, id). */
export interface TransferCursor {
  at: Date;
  id: string;
}

/**
 * The region's open requests, oldest first: those a commune holds or asked for, or a user made
 * (or every one of the region, for its coordinator), a task's alone if `taskId` is given.
 */
export async function listOpenTransfers(
  db: Executor,
  f: {
    regionId: string;
    communeId: string | null;
    userId: string;
    everyOne: boolean;
    taskId?: string;
    after?: TransferCursor;
    limit: number;
  },
): Promise<TransferView[]> {
  const mine: SQL | undefined = f.everyOne
    ? undefined
    : or(
        eq(transferRequests.askedByUserId, f.userId),
        f.communeId
          ? or(eq(transferRequests.holderCommuneId, f.communeId), eq(transferRequests.askerCommuneId, f.communeId))
          : undefined,
      );
  const rows = await viewQuery(db)
    .where(
      and(
        eq(transferRequests.regionId, f.regionId),
        eq(transferRequests.status, 'open'),
        mine,
        f.taskId ? eq(transferRequests.taskId, f.taskId) : undefined,
        f.after
          ? sql`(${transferRequests.createdAt}, ${transferRequests.id}) > (${f.after.at}::timestamptz, ${f.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(transferRequests.createdAt), asc(transferRequests.id))
    .limit(f.limit);
  return rows.map(toView);
}

/**
 * The task's row, locked for the change (the lock a claim or any change takes first): a transfer
 * locks the task before its request, as the trigger that cancels a request does, so the two wait
 * for each other instead of deadlocking.
 */
export async function lockTask(tx: Executor, taskId: string): Promise<TaskRow | undefined> {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('no key update');
  return row;
}

export async function lockTransfer(tx: Executor, id: string): Promise<TransferRequestRow | undefined> {
  const [row] = await tx.select().from(transferRequests).where(eq(transferRequests.id, id)).for('update');
  return row;
}

export async function insertTransfer(tx: Executor, values: NewTransferRequest): Promise<TransferRequestRow> {
  const [row] = await tx.insert(transferRequests).values(values).returning();
  if (!row) throw new Error('transfer request not inserted');
  return row;
}

/** Closes an open request; false if it was no longer open. */
export async function closeTransfer(
  tx: Executor,
  id: string,
  status: Exclude<TransferStatus, 'open'>,
  at: Date,
  byUserId: string | null,
): Promise<boolean> {
  const rows = await tx
    .update(transferRequests)
    .set({ status, closedAt: at, closedByUserId: byUserId })
    .where(and(eq(transferRequests.id, id), eq(transferRequests.status, 'open')))
    .returning({ id: transferRequests.id });
  return rows.length > 0;
}

/**
 * Marks the claim as asked for (or no longer), with its event. Not a change of the task's content,
 * so its version stays: the holder's start on the screen they had is not refused as stale.
 */
export async function markTransfer(
  tx: Executor,
  where: { taskId: string; from: string | null; to: string | null },
  meta: EventMeta,
): Promise<TaskRow | undefined> {
  const [row] = await changeTasksWithEvents(
    tx,
    tx.$with('changed').as(
      tx
        .update(tasks)
        .set({ transferRequestId: where.to })
        .where(
          and(
            eq(tasks.id, where.taskId),
            eq(tasks.status, 'claimed'),
            where.from === null ? sql`${tasks.transferRequestId} is null` : eq(tasks.transferRequestId, where.from),
          ),
        )
        .returning(),
    ),
    meta,
  );
  return row;
}

/** Moves the claim to the asking commune (a new claim for it: reminders and stale-claim hours start again). */
export async function moveClaim(
  tx: Executor,
  request: TransferRequestRow,
  at: Date,
  meta: EventMeta,
): Promise<TaskRow | undefined> {
  const [row] = await changeTasksWithEvents(
    tx,
    tx.$with('changed').as(
      tx
        .update(tasks)
        .set({
          claimedByCommuneId: request.askerCommuneId,
          // The clerk who asked holds it; a commune the coordinator named, no one in particular.
          claimedByUserId: sql`(select ${users.id} from ${users}
            where ${users.id} = ${request.askedByUserId} and ${users.communeId} = ${request.askerCommuneId})`,
          claimedAt: at,
          remindedAt: null,
          transferRequestId: null,
          version: sql`${tasks.version} + 1`,
          updatedAt: at,
        })
        .where(
          and(
            eq(tasks.id, request.taskId),
            eq(tasks.status, 'claimed'),
            eq(tasks.claimedByCommuneId, request.holderCommuneId),
            eq(tasks.transferRequestId, request.id),
          ),
        )
        .returning(),
    ),
    meta,
  );
  return row;
}

/**
 * The asking commune's active claims and its region's cap, with the claim-count rows of both
 * communes locked (in commune order, as the claim statement and the count triggers take them), so
 * that no claim of the asker slips in between this check and the move.
 */
export async function lockClaimRoom(
  tx: Executor,
  regionId: string,
  communeIds: { asker: string; holder: string },
): Promise<{ cap: number; active: number }> {
  const ids = [communeIds.asker, communeIds.holder].sort();
  const counts = await tx
    .insert(communeClaimCounts)
    .values(ids.map((communeId) => ({ communeId, active: 0 })))
    .onConflictDoUpdate({ target: communeClaimCounts.communeId, set: { active: sql`${communeClaimCounts.active}` } })
    .returning();
  const [settings] = await tx
    .select({ cap: regionSettings.maxActiveClaimsPerCommune })
    .from(regionSettings)
    .where(eq(regionSettings.regionId, regionId));
  return {
    cap: settings?.cap ?? coordinationSettings.maxActiveClaimsPerCommune.default,
    active: counts.find((c) => c.communeId === communeIds.asker)?.active ?? 0,
  };
}

/** The region's `transferTimeoutMinutes` in force. */
export async function transferTimeoutOf(db: Executor, regionId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: regionSettings.transferTimeoutMinutes })
    .from(regionSettings)
    .where(eq(regionSettings.regionId, regionId));
  return row?.minutes ?? coordinationSettings.transferTimeoutMinutes.default;
}

/** Open requests whose time is up as of `now`, oldest first, after `afterId`'s (one page of the job's run). */
export async function expiredTransfers(
  db: Executor,
  now: Date,
  after: TransferCursor | undefined,
  limit: number,
): Promise<TransferRequestRow[]> {
  return db
    .select()
    .from(transferRequests)
    .where(
      and(
        eq(transferRequests.status, 'open'),
        lte(transferRequests.expiresAt, now),
        after
          ? or(
              gt(transferRequests.expiresAt, after.at),
              and(eq(transferRequests.expiresAt, after.at), gt(transferRequests.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(transferRequests.expiresAt), asc(transferRequests.id))
    .limit(limit);
}
