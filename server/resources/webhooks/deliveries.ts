import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock';
import { openSecret } from '../../crypto/secrets';
import type { Db } from '../../db/client';
import type { DeliveryRow } from '../../db/schema';
import type { Job } from '../../jobs/scheduler';
import { notificationMail, type Mailer } from '../notifications/mailer';
import { presentNotification } from '../notifications/notifications-presenter';
import { notificationWithReader, taskTypeLabels } from '../notifications/notifications-repo';
import { guardedLookup, webhookUrlProblem } from './webhook-address';
import { SIGNATURE_HEADER, signatureOf } from './webhook-signature';
import { findWebhookEvenDeleted, leaseDueDeliveries, recordAttempt, type AttemptResult } from './webhooks-repo';

const FIRST_RETRY_MS = 30_000;
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const TIMEOUT_MS = 10_000;
const LEASE_MS = 5 * 60_000;
const BATCH = 25;

/** The wait before the next try after `attempts` failed ones: 30 s, 1 min, 2 min… */
export function retryDelayMs(attempts: number): number {
  return FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1);
}

export interface DeliveryOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  dataKey: Buffer;
  allowPrivate: boolean;
  selfHosts: string[];
  mailer: Mailer | undefined;
  publicUrl: string | undefined;
}

class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null = null,
  ) {
    super(message);
  }
}

/** POSTs the body once, resolving to the answer's status code; never follows a redirect. */
function post(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
        lookup: guardedLookup(allowPrivate),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function sendWebhook(options: DeliveryOptions, delivery: DeliveryRow): Promise<number> {
  const hook = delivery.webhookId ? await findWebhookEvenDeleted(options.db, delivery.webhookId) : undefined;
  if (!hook || hook.deletedAt) throw new DeliveryFailed('the webhook was deleted');
  const problem = await webhookUrlProblem(hook.url, {
    allowPrivate: options.allowPrivate,
    selfHosts: options.selfHosts,
  });
  if (problem) throw new DeliveryFailed(`the URL ${problem}`);
  const body = delivery.payload ?? '{}';
  const secret = openSecret(options.dataKey, hook.id, hook.secretSealed);
  const status = await post(
    hook.url,
    body,
    {
      [SIGNATURE_HEADER]: signatureOf(secret, body),
      'Entraide-Event': delivery.event,
      'Entraide-Delivery': delivery.id,
      'User-Agent': 'Entraide-Webhooks/1',
    },
    options.allowPrivate,
  );
  if (status < 200 || status >= 300) throw new DeliveryFailed(`answered ${status}`, status);
  return status;
}

async function sendEmail(options: DeliveryOptions, delivery: DeliveryRow): Promise<null> {
  if (!options.mailer) throw new DeliveryFailed('SMTP_URL is not set');
  const found = delivery.notificationId ? await notificationWithReader(options.db, delivery.notificationId) : undefined;
  if (!found?.email) throw new DeliveryFailed('the user has no e-mail address');
  const labels = await taskTypeLabels(options.db);
  const notification = presentNotification(found.notification, found.locale, labels);
  await options.mailer(notificationMail(found.email, found.locale, notification, options.publicUrl));
  return null;
}

/** One try of one delivery, logged with its outcome and duration; a failure is tried again later. */
async function attempt(options: DeliveryOptions, delivery: DeliveryRow): Promise<void> {
  const at = options.clock.now();
  const started = performance.now();
  let result: AttemptResult;
  try {
    const statusCode = await (delivery.channel === 'webhook'
      ? sendWebhook(options, delivery)
      : sendEmail(options, delivery));
    result = { at, statusCode, error: null, durationMs: Math.round(performance.now() - started) };
    await recordAttempt(options.db, delivery, result, { status: 'delivered' });
  } catch (err) {
    const message = err instanceof Error ? err.message : 'failed';
    const statusCode = err instanceof DeliveryFailed ? err.statusCode : null;
    result = { at, statusCode, error: message.slice(0, 500), durationMs: Math.round(performance.now() - started) };
    const retryAt = new Date(at.getTime() + retryDelayMs(delivery.attempts + 1));
    const giveUp = retryAt.getTime() > delivery.createdAt.getTime() + GIVE_UP_AFTER_MS;
    await recordAttempt(options.db, delivery, result, giveUp ? { status: 'failed' } : { status: 'pending', retryAt });
  }
}

/**
 * Sends the webhook calls and e-mails that are due, once across instances: the run takes them (a
 * lease, in the job's transaction) and sends them once it has committed, outside any transaction, so
 * a slow receiver holds no lock. Each try is logged; a failure is tried again with a doubling wait,
 * for a day, then given up.
 */
export function deliveryJob(options: DeliveryOptions): Job {
  let taken: DeliveryRow[] = [];
  return {
    name: 'deliveries',
    everyMs: 10_000,
    run: async (tx, now) => {
      taken = await leaseDueDeliveries(tx, now, LEASE_MS, BATCH);
      return { taken: taken.length };
    },
    afterCommit: async () => {
      const batch = taken;
      taken = [];
      await Promise.all(
        batch.map((d) =>
          attempt(options, d).catch((err: unknown) => options.log.error({ err, delivery: d.id }, 'delivery failed')),
        ),
      );
    },
  };
}
