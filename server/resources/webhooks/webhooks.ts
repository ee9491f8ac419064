import crypto from 'node:crypto';
import type { CreatedWebhook, DeliveryList, Webhook, WebhookCreate, WebhookList } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { sealSecret } from '../../crypto/secrets';
import type { WebhookRow } from '../../db/schema';
import { webhookUrlProblem } from './webhook-address';
import { newWebhookSecret } from './webhook-signature';
import { canSeeWebhook, webhookScopeOf } from './webhooks-policy';
import { deleteWebhook, deliveriesOf, findWebhook, insertWebhook, webhooksOfScope } from './webhooks-repo';
import { msg } from '../../core/messages';

export const onlyManagersAndCoordinators = msg('only_webhook_keepers');

function presentWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    communeId: row.communeId,
    regionId: row.regionId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Creates a webhook for the caller's commune (manager) or region (coordinator); its secret is shown once. */
export async function createWebhook(
  ctx: DomainContext,
  actor: Actor,
  input: WebhookCreate,
  selfHosts: string[],
): Promise<CreatedWebhook> {
  const scope = webhookScopeOf(actor);
  if (!scope) throw new ForbiddenError(onlyManagersAndCoordinators);
  if (new Set(input.events).size !== input.events.length) {
    throw new ValidationError(msg('webhook_not_created'), [
      { field: 'events', message: 'names an event twice', code: 'invalid' },
    ]);
  }
  const problem = await webhookUrlProblem(input.url, {
    allowPrivate: ctx.webhooks.allowPrivate,
    selfHosts: [...selfHosts, ...ctx.webhooks.selfHosts],
  });
  if (problem) {
    throw new ValidationError(msg('webhook_not_created'), [{ field: 'url', message: problem, code: 'invalid' }]);
  }
  const id = crypto.randomUUID();
  const secret = newWebhookSecret();
  const row = await insertWebhook(ctx.db, {
    id,
    ...scope,
    url: input.url,
    events: input.events,
    secretSealed: sealSecret(ctx.dataKey, id, secret),
    createdBy: actor.id,
    createdAt: ctx.clock.now(),
  });
  return { ...presentWebhook(row), secret };
}

export async function listWebhooks(ctx: DomainContext, actor: Actor): Promise<WebhookList> {
  const scope = webhookScopeOf(actor);
  if (!scope) throw new ForbiddenError(onlyManagersAndCoordinators);
  return { items: (await webhooksOfScope(ctx.db, scope)).map(presentWebhook) };
}

async function visibleWebhook(ctx: DomainContext, actor: Actor, id: string): Promise<WebhookRow> {
  const hook = await findWebhook(ctx.db, id);
  if (!hook || !canSeeWebhook(actor, hook)) throw new NotFoundError('webhook');
  return hook;
}

export async function removeWebhook(ctx: DomainContext, actor: Actor, id: string): Promise<void> {
  const hook = await visibleWebhook(ctx, actor, id);
  await deleteWebhook(ctx.db, hook.id, ctx.clock.now());
}

/** The webhook's last hundred deliveries, newest first, each with its attempts. */
export async function webhookDeliveries(ctx: DomainContext, actor: Actor, id: string): Promise<DeliveryList> {
  const hook = await visibleWebhook(ctx, actor, id);
  const { rows, attempts } = await deliveriesOf(ctx.db, hook.id);
  return {
    items: rows.map((d) => ({
      id: d.id,
      event: d.event,
      status: d.status,
      attempts: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({ at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
      createdAt: d.createdAt.toISOString(),
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
    })),
  };
}
