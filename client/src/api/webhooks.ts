import { z } from 'zod';
import { CreatedWebhook, DeliveryList, WebhookList, type WebhookCreate } from '../../../shared/schemas';
import { call, json } from './client';

/** The signed webhooks of the caller's commune (manager) or region (coordinator): docs/webhooks.md. */
export const webhooksApi = {
  list: async () => (await call(WebhookList, '/webhooks')).items,
  create: (input: WebhookCreate) => call(CreatedWebhook, '/webhooks', json(input)),
  remove: (id: string) => call(z.undefined(), `/webhooks/${id}`, { method: 'DELETE' }),
  deliveries: async (id: string) => (await call(DeliveryList, `/webhooks/${id}/deliveries`)).items,
};
