import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { deliveries, deliveryAttempts, webhooks, type DeliveryRow, type WebhookRow } from '../../db/schema';

/**
 * The live webhooks of the regions `regionIds` and of the communes `communeIds`: every webhook a batch
 * of events in those regions, concerning those communes, could call (the caller picks by event).
 */
export async function webhooksOf(tx: Executor, regionIds: string[], communeIds: string[]): Promise<WebhookRow[]> {
  if (regionIds.length === 0 && communeIds.length === 0) return [];
  return tx
    .select()
    .from(webhooks)
    .where(
      and(
        isNull(webhooks.deletedAt),
        or(
          regionIds.length > 0 ? inArray(webhooks.regionId, regionIds) : undefined,
          communeIds.length > 0 ? inArray(webhooks.communeId, communeIds) : undefined,
        ),
      ),
    );
}

/** Whether `hook` asked for `event` on a task of `regionId` that concerns `communeIds`. */
export function webhookWants(hook: WebhookRow, regionId: string, communeIds: string[], event: string): boolean {
  if (!hook.events.includes(event)) return false;
  return hook.regionId === regionId || (hook.communeId !== null && communeIds.includes(hook.communeId));
}

export async function insertWebhook(db: Executor, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const [row] = await db.insert(webhooks).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** A scope's live webhooks: a commune's or a region's. */
export async function webhooksOfScope(
  db: Executor,
  scope: { communeId: string } | { regionId: string },
): Promise<WebhookRow[]> {
  return db
    .select()
    .from(webhooks)
    .where(
      and(
        isNull(webhooks.deletedAt),
        'communeId' in scope ? eq(webhooks.communeId, scope.communeId) : eq(webhooks.regionId, scope.regionId),
      ),
    )
    .orderBy(webhooks.createdAt);
}

export async function findWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)));
  return row;
}

/** A deleted webhook stays for its delivery log; what it had not yet sent is given up. */
export async function deleteWebhook(db: Executor, id: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(webhooks).set({ deletedAt: now }).where(eq(webhooks.id, id));
    await tx
      .update(deliveries)
      .set({ status: 'failed' })
      .where(and(eq(deliveries.webhookId, id), eq(deliveries.status, 'pending')));
  });
}

export async function deliveriesOf(db: Executor, webhookId: string, limit = 100) {
  const rows = await db
    .select()
    .from(deliveries)
    .where(eq(deliveries.webhookId, webhookId))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.eventSeq))
    .limit(limit);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(deliveryAttempts)
          .where(
            inArray(
              deliveryAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(deliveryAttempts.id);
  return { rows, attempts };
}

/**
 * Takes up to `limit` deliveries that are due, for `leaseMs`: another run (on any instance) skips
 * them meanwhile, and takes them again if this one dies before saying how it went.
 */
export async function leaseDueDeliveries(tx: Executor, now: Date, leaseMs: number, limit: number) {
  const due = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.status, 'pending'),
        sql`${deliveries.nextAttemptAt} <= ${now}`,
        sql`(${deliveries.leasedUntil} is null or ${deliveries.leasedUntil} <= ${now})`,
      ),
    )
    .orderBy(deliveries.nextAttemptAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  if (due.length === 0) return [];
  return tx
    .update(deliveries)
    .set({ leasedUntil: new Date(now.getTime() + leaseMs) })
    .where(
      inArray(
        deliveries.id,
        due.map((d) => d.id),
      ),
    )
    .returning();
}

export interface AttemptResult {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Logs an attempt and says what comes next: delivered, tried again at `retryAt`, or given up. */
export async function recordAttempt(
  db: Executor,
  delivery: DeliveryRow,
  result: AttemptResult,
  next: { status: 'delivered' | 'failed' } | { status: 'pending'; retryAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(deliveryAttempts).values({ deliveryId: delivery.id, ...result });
    await tx
      .update(deliveries)
      .set({
        status: next.status,
        attempts: sql`${deliveries.attempts} + 1`,
        leasedUntil: null,
        ...(next.status === 'pending' ? { nextAttemptAt: next.retryAt } : {}),
        ...(next.status === 'delivered' ? { deliveredAt: result.at } : {}),
      })
      .where(eq(deliveries.id, delivery.id));
  });
}

export async function findWebhookEvenDeleted(db: Executor, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
  return row;
}
