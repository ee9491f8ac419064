import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Notification } from '../../../shared/schemas';
import type { Db, Executor } from '../../db/client';
import type { NotificationRow } from '../../db/schema';
import type { Clock } from '../../core/clock';
import type { Job } from '../../jobs/scheduler';
import { webhooksOf, webhookWants } from '../webhooks/webhooks-repo';
import { notificationRules, type Audience, type NotificationRule } from './notification-rules';
import { presentNotification } from './notifications-presenter';
import {
  communeMembers,
  communeNames,
  eventsToFanOut,
  holderBefore,
  insertDeliveries,
  insertNotifications,
  lockNotifierCursor,
  moveNotifierCursor,
  regionCoordinators,
  taskTypeLabels,
  transferBefore,
  type FanOutEvent,
  type NewDelivery,
  type NewNotification,
  type Recipient,
} from './notifications-repo';

const BATCH = 500;
/**
 * The shortest time between the starts of two runs on an instance. A kick after a quiet spell runs at
 * once; under a stream of events (a crisis morning's claims) the runs come at this pace and each takes
 * what accumulated meanwhile, so a run's fixed cost (its transaction, the batch's lookups, the message
 * to the other instances) is shared by hundreds of events instead of a few dozen.
 */
export const NOTIFIER_MIN_INTERVAL_MS = 250;

/** A notification just written, with its reader, worded in their language: for their socket. */
export interface CreatedNotification {
  userId: string;
  notification: Notification;
}

export interface FanOutOptions {
  /** E-mails are queued only where SMTP is configured. */
  email: boolean;
}

/**
 * The reads a batch repeats (the same communes' members, event after event), each made once per
 * batch: the batch is one transaction, so the answers cannot change within it.
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
    coordinators: (regionId: string) => once(`coordinators:${regionId}`, () => regionCoordinators(tx, regionId)),
  };
}
type Lookups = ReturnType<typeof batchLookups>;

/** What an event's audiences are found from, beyond the task as the event left it. */
interface EventParties {
  event: FanOutEvent;
  previousHolder: string | null;
  /** Who asked for the transfer the event answers, for the events that answer one. */
  transfer: Awaited<ReturnType<typeof transferBefore>>;
}

async function audienceMembers(
  lookups: Lookups,
  audience: Audience,
  { event, previousHolder, transfer }: EventParties,
): Promise<Recipient[]> {
  const actorCommuneId = event.actorCommuneId;
  switch (audience) {
    case 'requester_managers':
      return lookups.members(event.requester, ['manager']);
    case 'holder_clerks':
      return event.holder ? lookups.members(event.holder, ['clerk']) : [];
    case 'holder_members':
      return event.holder ? lookups.members(event.holder, ['clerk', 'manager']) : [];
    case 'previous_holder_clerks':
      return previousHolder && previousHolder !== event.holder && previousHolder !== actorCommuneId
        ? lookups.members(previousHolder, ['clerk'])
        : [];
    case 'transfer_asker':
      if (!transfer) return [];
      return [
        ...(transfer.askedBy ? [transfer.askedBy] : []),
        ...(await lookups.members(transfer.askerCommuneId, ['clerk'])),
      ];
    case 'escalation':
      if (event.escalationLevel >= 2) return lookups.coordinators(event.regionId);
      return event.holder ? lookups.members(event.holder, ['clerk', 'manager']) : [];
  }
}

/** The events whose webhook and notifications name the commune that held the task before them. */
const movesTheClaim = ['release', 'reassign', 'cancel', 'transfer_accepted', 'transfer_timed_out'];
/** The events that answer a transfer request: their audience includes who asked. */
const answersATransfer = ['transfer_accepted', 'transfer_declined', 'transfer_timed_out'];

/** The communes an event concerns: its webhooks are theirs and its region's. */
const concerned = ({ event, previousHolder }: EventParties) =>
  [event.requester, event.holder, previousHolder].filter((c): c is string => c !== null);

/**
 * Fans out the numbered task events after the notifier's cursor, in order, into inbox
 * notifications, e-mails and webhook calls to make, and moves the cursor past them: all in `tx`,
 * which holds the cursor's row, so every event is fanned out once, whichever instance does it.
 * What the batch needs to know of communes and webhooks is read once for the whole batch.
 */
export async function fanOut(
  tx: Executor,
  now: Date,
  options: FanOutOptions,
): Promise<{ created: CreatedNotification[]; events: number }> {
  const last = await lockNotifierCursor(tx);
  const batch = await eventsToFanOut(tx, last, BATCH);
  const lastEvent = batch.at(-1);
  if (!lastEvent) return { created: [], events: 0 };
  // The events someone hears of, with the parties that only earlier events tell.
  const told: (EventParties & { rule: NotificationRule })[] = [];
  for (const event of batch) {
    const rule = notificationRules[event.action];
    if (!rule || !event.taskId) continue;
    const previousHolder = movesTheClaim.includes(event.action)
      ? await holderBefore(tx, event.taskId, event.seq)
      : null;
    const transfer = answersATransfer.includes(event.action)
      ? await transferBefore(tx, event.taskId, event.seq)
      : undefined;
    told.push({ event, previousHolder, transfer, rule });
  }
  if (told.length === 0) {
    await moveNotifierCursor(tx, lastEvent.seq);
    return { created: [], events: batch.length };
  }
  // The communes the tasks concern (their webhooks), and with the actors' communes those named.
  const communeIds = new Set<string>();
  const named = new Set<string>();
  const regionIds = new Set<string>();
  for (const parties of told) {
    for (const c of concerned(parties)) {
      communeIds.add(c);
      named.add(c);
    }
    if (parties.event.actorCommuneId) named.add(parties.event.actorCommuneId);
    regionIds.add(parties.event.regionId);
  }
  // One after the other: the transaction is one connection, which runs one query at a time.
  const labels = await taskTypeLabels(tx);
  const names = await communeNames(tx, [...named]);
  const hooks = await webhooksOf(tx, [...regionIds], [...communeIds]);
  const lookups = batchLookups(tx);
  const created: CreatedNotification[] = [];
  const pending: NewNotification[] = [];
  const readers = new Map<string, Recipient>();
  const queued: NewDelivery[] = [];
  for (const parties of told) {
    const { event, rule } = parties;
    const recipients = new Map<string, Recipient>();
    for (const audience of rule.audiences) {
      for (const r of await audienceMembers(lookups, audience, parties)) {
        if (r.id !== event.actorUserId) recipients.set(r.id, r);
      }
    }
    const base = {
      eventSeq: event.seq,
      kind: event.action,
      taskId: event.taskId,
      taskCode: event.code,
      taskType: event.type,
      taskStatus: event.toStatus,
      requestingCommuneName: names.get(event.requester) ?? '',
      holderCommuneName: (event.holder && names.get(event.holder)) ?? null,
      actorCommuneName: (event.actorCommuneId && names.get(event.actorCommuneId)) ?? null,
      bySystem: event.actorUserId === null,
      createdAt: now,
    } satisfies Omit<NewNotification, 'userId'>;
    for (const userId of recipients.keys()) pending.push({ ...base, userId });
    for (const [id, reader] of recipients) readers.set(id, reader);
    const communes = concerned(parties);
    for (const hook of hooks) {
      if (!webhookWants(hook, event.regionId, communes, rule.webhookEvent)) continue;
      queued.push(webhookDelivery(hook.id, rule.webhookEvent, event, names, parties.previousHolder, now));
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
  event: FanOutEvent,
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
      code: event.code,
      type: event.type,
      status: event.toStatus,
      fromStatus: event.fromStatus,
      dueAt: event.dueAt,
      requestingCommune: commune(event.requester),
      holderCommune: commune(event.holder),
      previousHolderCommune: previousHolder === event.holder ? null : commune(previousHolder),
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
  /** When the last run started (Date.now()): the next waits for NOTIFIER_MIN_INTERVAL_MS after it. */
  private lastStart = 0;

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
      const wait = this.lastStart + NOTIFIER_MIN_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastStart = Date.now();
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
