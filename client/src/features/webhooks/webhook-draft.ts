import { WebhookCreate, type Delivery, type FieldError, type WebhookCreate as Input } from '../../../../shared/schemas';

/** What is wrong with the form, by field: said by the page in the interface's language. */
export interface DraftProblems {
  url?: 'invalid' | 'refused';
  events?: 'required';
}

/** The form as the API takes it, or what to correct first (checked by the shared schema). */
export function prepareWebhook(url: string, events: readonly string[]): { input: Input } | { problems: DraftProblems } {
  const parsed = WebhookCreate.safeParse({ url, events });
  if (parsed.success) return { input: parsed.data };
  const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  return {
    problems: {
      ...(fields.has('url') ? { url: 'invalid' as const } : {}),
      ...(fields.has('events') ? { events: 'required' as const } : {}),
    },
  };
}

/** The server's field errors of a refused webhook (an address it will not call), by field. */
export function refusedFields(errors: readonly FieldError[] | undefined): DraftProblems {
  const fields = new Set((errors ?? []).map((e) => e.field.split('.')[0]));
  return {
    ...(fields.has('url') ? { url: 'refused' as const } : {}),
    ...(fields.has('events') ? { events: 'required' as const } : {}),
  };
}

/** One line of the delivery log: how many tries, how the last one went, and when the next one is. */
export function deliverySummary(delivery: Delivery) {
  const last = delivery.attempts.at(-1);
  return {
    attempts: delivery.attempts.length,
    last: last ? { statusCode: last.statusCode, error: last.error } : undefined,
    nextRetryAt: delivery.status === 'pending' ? (delivery.nextAttemptAt ?? undefined) : undefined,
    deliveredAt: delivery.status === 'delivered' ? (delivery.deliveredAt ?? undefined) : undefined,
  };
}
