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
  regionCoordinators,
  taskTypeLabels,
  transferBefore,
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
    escalationLevel: typeof snap.escalation_level === 'number' ? snap.escalation_level : 0,
  };
}

/**
 * The reads a batch repeats (the same communes' members, names and webhooks, event after event),
 * each made once per batch: the batch is one transaction, so the answers cannot change within it.
 */
function batchLookups(tx: Executor) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let found = memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = read();
      memo.set(key, found);
    }
    return found;
  };
  return {
    members: (communeId: string, roles: ('clerk' | 'manager')[]) =>
      once(`members:${communeId}:${roles.join(',')}`, () => communeMembers(tx, communeId, roles)),
    names: (ids: string[]) => {
      const key = [...new Set(ids)].sort();
      return once(`names:${key.join(',')}`, () => communeNames(tx, key));
    },
    coordinators: (regionId: string) => once(`coordinators:${regionId}`, () => regionCoordinators(tx, regionId)),
    webhooks: (regionId: string, communeIds: string[], event: Parameters<typeof webhooksFor>[3]) =>
      once(`hooks:${regionId}:${[...communeIds].sort().join(',')}:${event}`, () =>
        webhooksFor(tx, regionId, communeIds, event),
      ),
  };
}
type Lookups = ReturnType<typeof batchLookups>;

/** What an event's audiences are found from, beyond the task as the event left it. */
interface EventParties {
  event: SequencedEvent;
  previousHolder: string | null;
  /** Who asked for the transfer the event answers, for the events that answer one. */
  transfer: Awaited<ReturnType<typeof transferBefore>>;
}

async function audienceMembers(
  lookups: Lookups,
  audience: Audience,
  facts: ReturnType<typeof taskFacts>,
  { event, previousHolder, transfer }: EventParties,
): Promise<Recipient[]> {
  const actorCommuneId = event.actorCommuneId;
  switch (audience) {
    case 'requester_managers':
      return lookups.members(facts.requester, ['manager']);
    case 'holder_clerks':
      return facts.holder ? lookups.members(facts.holder, ['clerk']) : [];
    case 'holder_members':
      return facts.holder ? lookups.members(facts.holder, ['clerk', 'manager']) : [];
    case 'previous_holder_clerks':
      return previousHolder && previousHolder !== facts.holder && previousHolder !== actorCommuneId
        ? lookups.members(previousHolder, ['clerk'])
        : [];
    case 'transfer_asker':
      if (!transfer) return [];
      return [
        ...(transfer.askedBy ? [transfer.askedBy] : []),
        ...(await lookups.members(transfer.askerCommuneId, ['clerk'])),
      ];
    case 'escalation':
      if (facts.escalationLevel >= 2) return lookups.coordinators(event.regionId);
      return facts.holder ? lookups.members(facts.holder, ['clerk', 'manager']) : [];
  }
}

/** The events whose webhook and notifications name the commune that held the task before them. */
const movesTheClaim = ['release', 'reassign', 'cancel', 'transfer_accepted', 'transfer_timed_out'];
/** The events that answer a transfer request: their audience includes who asked. */
const answersATransfer = ['transfer_accepted', 'transfer_declined', 'transfer_timed_out'];

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
  const lookups = batchLookups(tx);
  const created: CreatedNotification[] = [];
  const pending: NewNotification[] = [];
  const readers = new Map<string, Recipient>();
  const queued: NewDelivery[] = [];
  for (const event of batch) {
    const rule = notificationRules[event.action];
    if (!rule || !event.taskId) continue;
    const facts = taskFacts(event);
    const previousHolder = movesTheClaim.includes(event.action)
      ? await holderBefore(tx, event.taskId, event.seq)
      : null;
    const transfer = answersATransfer.includes(event.action)
      ? await transferBefore(tx, event.taskId, event.seq)
      : undefined;
    const names = await lookups.names(
      [facts.requester, facts.holder, previousHolder, event.actorCommuneId].filter((c): c is string => c !== null),
    );
    const recipients = new Map<string, Recipient>();
    for (const audience of rule.audiences) {
      for (const r of await audienceMembers(lookups, audience, facts, { event, previousHolder, transfer })) {
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
    for (const userId of recipients.keys()) pending.push({ ...base, userId });
    for (const [id, reader] of recipients) readers.set(id, reader);
    const communes = [facts.requester, facts.holder, previousHolder].filter((c): c is string => c !== null);
    for (const hook of await lookups.webhooks(event.regionId, communes, rule.webhookEvent)) {
      queued.push(webhookDelivery(hook.id, rule.webhookEvent, event, facts, names, previousHolder, now));
    }
  }
  // The batch's notifications in one statement, then their e-mails and the webhook calls in another.
  const rows = await insertNotifications(tx, pending);
  rows.sort((a, b) => a.eventSeq - b.eventSeq);
  for (const row of rows) {
    const reader = readers.get(row.userId);
    if (!reader) continue;
    created.push({ userId: row.userId, notification: presentNotification(row, reader.locale, labels) });
    if (options.email && reader.email) queued.push(emailDelivery(row, now));
  }
  await insertDeliveries(tx, queued);
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
