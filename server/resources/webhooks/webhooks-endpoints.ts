import { z } from 'zod';
import { CreatedWebhook, DeliveryList, Id, WebhookCreate, WebhookList } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { createWebhook, listWebhooks, onlyManagersAndCoordinators, removeWebhook, webhookDeliveries } from './webhooks';
import { canManageWebhooks } from './webhooks-policy';

const tag = 'webhooks';
const WebhookParams = z.object({ id: Id.describe('webhook id') });
const keepers = permission.policy(canManageWebhooks, onlyManagersAndCoordinators);

export const webhooksEndpoints = [
  endpoint({
    method: 'post',
    path: '/webhooks',
    tag,
    summary:
      'Create a signed webhook for my commune (manager) or my region (coordinator); its secret is shown this once',
    permission: keepers,
    body: WebhookCreate,
    responses: { 201: { description: 'Created, with its signing secret', schema: CreatedWebhook } },
    handle: ({ ctx, actor, body, req }) => createWebhook(ctx, actor, body, req.headers.host ? [req.headers.host] : []),
  }),

  endpoint({
    method: 'get',
    path: '/webhooks',
    tag,
    summary: "My commune's (manager) or my region's (coordinator) webhooks, without their secrets",
    permission: keepers,
    responses: { 200: { description: 'The webhooks', schema: WebhookList } },
    handle: ({ ctx, actor }) => listWebhooks(ctx, actor),
  }),

  endpoint({
    method: 'delete',
    path: '/webhooks/:id',
    tag,
    summary: 'Delete a webhook of my scope: what it has not sent yet is given up, its log stays',
    permission: keepers,
    params: WebhookParams,
    responses: { 204: { description: 'Deleted' } },
    handle: ({ ctx, actor, params }) => removeWebhook(ctx, actor, params.id),
  }),

  endpoint({
    method: 'get',
    path: '/webhooks/:id/deliveries',
    tag,
    summary: "A webhook's delivery log: each delivery with its attempts (status code, error, duration)",
    permission: keepers,
    params: WebhookParams,
    responses: { 200: { description: 'The last hundred deliveries, newest first', schema: DeliveryList } },
    handle: ({ ctx, actor, params }) => webhookDeliveries(ctx, actor, params.id),
  }),
];
