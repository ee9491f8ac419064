import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Notification } from '../../../shared/schemas';
import type { Db, Executor } from '../../db/client';
import { numberedAfter, type SequencedEvent } from '../../db/events';
import type { NotificationRow } from '../../db/schema';
import type { Clock } from '../../core/clock';
import type { Job } from '../../jobs/scheduler';
import { webhooksFor } from '../webhooks/webhooks-repo';
import { notificationRules, type Audience } from './notification-rules';
import { presentNotification } from './notifications-presenter';
import {
  communeMembers,
  communeNames,
  holderBefore,
  insertDeliveries,
  insertNotifications,
  lockNotifierCursor,
  moveNotifierCursor,
  taskTypeLabels,
  type NewDelivery,
  type NewNotification,
  type Recipient,
} from './notifications-repo';

const BATCH = 500;

/** A notification just written, with its reader, worded in their language: for their socket. */
export interface CreatedNotification {
  userId: string;
  notification: Notification;
}

export interface FanOutOptions {
  /** E-mails are queued only where SMTP is configured. */
  email: boolean;
}

/** The facts of a task event, from its snapshot (the task as the event left it, without citizen data). */
function taskFacts(event: SequencedEvent) {
  const snap = event.snapshot as Record<string, unknown>;
  const text = (key: string) => (typeof snap[key] === 'string' ? snap[key] : null);
  return {
    requester: text('requesting_commune_id') ?? '',
    holder: text('claimed_by_commune_id'),
    code: text('code'),
    type: text('type') ?? '',
    status: event.toStatus,
    dueAt: text('due_at'),
  };
}

async function audienceMembers(
  tx: Executor,
  audience: Audience,
  facts: ReturnType<typeof taskFacts>,
  previousHolder: string | null,
  actorCommuneId: string | null,
): Promise<Recipient[]> {
  switch (audience) {
    case 'requester_managers':
      return communeMembers(tx, facts.requester, ['manager']);
    case 'holder_clerks':
      return facts.holder ? communeMembers(tx, facts.holder, ['clerk']) : [];
    case 'holder_members':
      return facts.holder ? communeMembers(tx, facts.holder, ['clerk', 'manager']) : [];
    case 'previous_holder_clerks':
      return previousHolder && previousHolder !== facts.holder && previousHolder !== actorCommuneId
        ? communeMembers(tx, previousHolder, ['clerk'])
        : [];
  }
}

/**
 * Fans out the numbered task events after the notifier's cursor, in order, into inbox
 * notifications, e-mails and webhook calls to make, and moves the cursor past them: all in `tx`,
 * which holds the cursor's row, so every event is fanned out once, whichever instance does it.
 */
export async function fanOut(
  tx: Executor,
  now: Date,
  options: FanOutOptions,
): Promise<{ created: CreatedNotification[]; events: number }> {
  const last = await lockNotifierCursor(tx);
  const batch = await numberedAfter(tx, last, BATCH);
  const lastEvent = batch.at(-1);
  if (!lastEvent) return { created: [], events: 0 };
  const labels = await taskTypeLabels(tx);
  const created: CreatedNotification[] = [];
  for (const event of batch) {
    const rule = notificationRules[event.action];
    if (!rule || !event.taskId) continue;
    const facts = taskFacts(event);
    const previousHolder = ['release', 'reassign', 'cancel'].includes(event.action)
      ? await holderBefore(tx, event.taskId, event.seq)
      : null;
    const names = await communeNames(
      tx,
      [facts.requester, facts.holder, previousHolder, event.actorCommuneId].filter((c): c is string => c !== null),
    );
    const recipients = new Map<string, Recipient>();
    for (const audience of rule.audiences) {
      for (const r of await audienceMembers(tx, audience, facts, previousHolder, event.actorCommuneId)) {
        if (r.id !== event.actorUserId) recipients.set(r.id, r);
      }
    }
    const base = {
      eventSeq: event.seq,
      kind: event.action,
      taskId: event.taskId,
      taskCode: facts.code,
      taskType: facts.type,
      taskStatus: facts.status,
      requestingCommuneName: names.get(facts.requester) ?? '',
      holderCommuneName: (facts.holder && names.get(facts.holder)) ?? null,
      actorCommuneName: (event.actorCommuneId && names.get(event.actorCommuneId)) ?? null,
      bySystem: event.actorUserId === null,
      createdAt: now,
    } satisfies Omit<NewNotification, 'userId'>;
    const rows = await insertNotifications(
      tx,
      [...recipients.keys()].map((userId) => ({ ...base, userId })),
    );
    const queued: NewDelivery[] = [];
    for (const row of rows) {
      const reader = recipients.get(row.userId);
      if (!reader) continue;
      created.push({ userId: row.userId, notification: presentNotification(row, reader.locale, labels) });
      if (options.email && reader.email) queued.push(emailDelivery(row, now));
    }
    const communes = [facts.requester, facts.holder, previousHolder].filter((c): c is string => c !== null);
    for (const hook of await webhooksFor(tx, event.regionId, communes, rule.webhookEvent)) {
      queued.push(webhookDelivery(hook.id, rule.webhookEvent, event, facts, names, previousHolder, now));
    }
    await insertDeliveries(tx, queued);
  }
  await moveNotifierCursor(tx, lastEvent.seq);
  return { created, events: batch.length };
}

function emailDelivery(row: NotificationRow, now: Date): NewDelivery {
  return {
    channel: 'email',
    notificationId: row.id,
    eventSeq: row.eventSeq,
    event: row.kind,
    nextAttemptAt: now,
    createdAt: now,
  };
}

/** A webhook's body: identifiers, code, type, status, communes and times; never citizen data nor free text. */
function webhookDelivery(
  webhookId: string,
  name: string,
  event: SequencedEvent,
  facts: ReturnType<typeof taskFacts>,
  names: Map<string, string>,
  previousHolder: string | null,
  now: Date,
): NewDelivery {
  const id = crypto.randomUUID();
  const commune = (communeId: string | null) =>
    communeId ? { id: communeId, name: names.get(communeId) ?? null } : null;
  const body = {
    id,
    event: name,
    seq: event.seq,
    occurredAt: event.createdAt.toISOString(),
    task: {
      id: event.taskId,
      code: facts.code,
      type: facts.type,
      status: facts.status,
      fromStatus: event.fromStatus,
      dueAt: facts.dueAt,
      requestingCommune: commune(facts.requester),
      holderCommune: commune(facts.holder),
      previousHolderCommune: previousHolder === facts.holder ? null : commune(previousHolder),
    },
    actor: event.actorUserId === null ? 'system' : event.actorCommuneId ? 'commune' : 'coordinator',
    actorCommune: commune(event.actorCommuneId),
  };
  return {
    id,
    channel: 'webhook',
    webhookId,
    eventSeq: event.seq,
    event: name,
    payload: JSON.stringify(body),
    nextAttemptAt: now,
    createdAt: now,
  };
}

/**
 * Runs the fan-out on this instance right after the sequencer numbers events, so an inbox is live
 * within a second. Runs never overlap in a process (a kick during a run asks for one more), and
 * across processes the cursor's lock orders them. The scheduled job sweeps whatever a crash left.
 */
export class Notifier {
  private current: Promise<void> | undefined;
  /** Kicks so far: a run that ends with more than it started with runs again. */
  private kicks = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: FanOutOptions,
    private readonly publish: (created: CreatedNotification[]) => void,
  ) {}

  kick(): void {
    this.kicks += 1;
    if (this.current) return;
    this.current = this.run().finally(() => {
      this.current = undefined;
    });
  }

  /** Resolves once the run under way (and the one asked for meanwhile) is over. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  private async run(): Promise<void> {
    for (;;) {
      const kicks = this.kicks;
      try {
        for (;;) {
          const { created, events } = await this.db.transaction((tx) => fanOut(tx, this.clock.now(), this.options));
          this.publish(created);
          if (events < BATCH) break;
        }
      } catch (err) {
        // The events stay after the cursor: the next kick or the job fans them out.
        this.log.error({ err }, 'notification fan-out failed');
      }
      if (this.kicks === kicks) return;
    }
  }

  /** The same fan-out as a scheduled job, once across instances: it catches up what a crash left. */
  job(): Job {
    let created: CreatedNotification[] = [];
    return {
      name: 'notifier',
      everyMs: 60_000,
      run: async (tx, now) => {
        created = [];
        let events = 0;
        for (;;) {
          const run = await fanOut(tx, now, this.options);
          created.push(...run.created);
          events += run.events;
          if (run.events < BATCH) return { events, notifications: created.length };
        }
      },
      afterCommit: () => {
        this.publish(created);
        created = [];
        return Promise.resolve();
      },
    };
  }
}
