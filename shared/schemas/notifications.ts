import { z } from 'zod';
import { Id, IsoDateTime, Limit } from './common';

export const Locale = z.enum(['fr', 'en'], { error: 'must be fr or en' });
export type Locale = z.infer<typeof Locale>;

/**
 * What happened to a task that concerns the reader, worded in their language. It names the task
 * (id, code, type, status) and the communes, never citizen data nor a task's free text.
 */
export const Notification = z
  .object({
    id: Id,
    /** The task event's action: claim, complete, release, cancel, reassign, remind… */
    kind: z.string(),
    title: z.string(),
    taskId: Id.nullable(),
    taskCode: z.string().nullable(),
    taskType: z.string(),
    taskStatus: z.string(),
    requestingCommuneName: z.string(),
    holderCommuneName: z.string().nullable(),
    /** Whose act it was; null when the system did it (a timeout). */
    actorCommuneName: z.string().nullable(),
    createdAt: IsoDateTime,
    readAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationQuery = z
  .strictObject({
    unread: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    limit: Limit,
    cursor: z
      .string()
      .regex(/^[0-9]{1,18}$/, 'must be the nextCursor of the previous page')
      .optional(),
  })
  .meta({ id: 'NotificationQuery' });
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export const NotificationPage = z
  .object({
    items: z.array(Notification),
    /** Pass as `cursor` for the next (older) page; null on the last. */
    nextCursor: z.string().nullable(),
    unreadCount: z.number().int(),
  })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;

export const UnreadCount = z.object({ unreadCount: z.number().int() }).meta({ id: 'UnreadCount' });
export type UnreadCount = z.infer<typeof UnreadCount>;

export const Email = z
  .string({ error: 'must be an e-mail address' })
  .trim()
  .max(254, 'must be an e-mail address')
  .pipe(z.email({ error: 'must be an e-mail address' }));

/** What a user sets for themselves. */
export const PreferencesUpdate = z
  .strictObject({
    locale: Locale.optional(),
    /** null removes it. */
    email: Email.nullable().optional(),
  })
  .meta({ id: 'PreferencesUpdate' });
export type PreferencesUpdate = z.infer<typeof PreferencesUpdate>;

/** The task events a webhook can ask for. */
export const webhookEventNames = [
  'task.created',
  'task.claimed',
  'task.started',
  'task.done',
  'task.released',
  'task.cancelled',
  'task.reassigned',
  'task.reminded',
  'task.transfer_requested',
  'task.transfer_declined',
  'task.transferred',
  'task.escalated',
  'task.question',
  'task.answer',
] as const;
export const WebhookEventName = z.enum(webhookEventNames, {
  error: `must be one of ${webhookEventNames.join(', ')}`,
});
export type WebhookEventName = z.infer<typeof WebhookEventName>;

export const WebhookCreate = z
  .strictObject({
    url: z
      .string({ error: 'must be an http(s) URL' })
      .trim()
      .max(2000, 'must be at most 2000 characters')
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
    events: z
      .array(WebhookEventName, { error: 'must be a list of event names' })
      .min(1, 'must name at least one event')
      .max(webhookEventNames.length, 'names an event twice'),
  })
  .meta({ id: 'WebhookCreate' });
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    events: z.array(z.string()),
    communeId: Id.nullable(),
    regionId: Id.nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

/** A new webhook, with its signing secret: shown this once. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() }).meta({ id: 'CreatedWebhook' });
export type CreatedWebhook = z.infer<typeof CreatedWebhook>;

export const WebhookList = z.object({ items: z.array(Webhook) }).meta({ id: 'WebhookList' });
export type WebhookList = z.infer<typeof WebhookList>;

export const DeliveryAttempt = z.object({
  at: IsoDateTime,
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export const Delivery = z
  .object({
    id: Id,
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.array(DeliveryAttempt),
    createdAt: IsoDateTime,
    nextAttemptAt: IsoDateTime.nullable(),
    deliveredAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryList = z.object({ items: z.array(Delivery) }).meta({ id: 'DeliveryList' });
export type DeliveryList = z.infer<typeof DeliveryList>;
