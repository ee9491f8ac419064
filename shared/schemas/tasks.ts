import { z } from 'zod';
import { limits } from '../limits';
import { Id, IsoDateTime, Limit, QueryBoolean, Version, page } from './common';
import { TaskTypeKey } from './task-types';

export const TaskStatus = z.enum(['open', 'claimed', 'in_progress', 'waiting_info', 'done', 'cancelled'], {
  error: 'must be open, claimed, in_progress, waiting_info, done or cancelled',
});
export type TaskStatus = z.infer<typeof TaskStatus>;
export const Priority = z.enum(['urgent', 'high', 'normal', 'low'], { error: 'must be urgent, high, normal or low' });
export type Priority = z.infer<typeof Priority>;
export const DeliveryMode = z.enum(['pickup_helper', 'post', 'e_guichet'], {
  error: 'must be pickup_helper, post or e_guichet',
});
export type DeliveryMode = z.infer<typeof DeliveryMode>;
export const TaskAction = z.enum([
  'create',
  'update',
  'claim',
  'start',
  'complete',
  'release',
  'cancel',
  'reassign',
  'erase_citizen',
  'correct_time',
  /** The holder was reminded of a claim not started (by the system; the notifications will pick it up). */
  'reminded',
  /** Transfers (resources/transfers/): asked, accepted or declined by the holder, or moved unanswered by the system. */
  'transfer_requested',
  'transfer_accepted',
  'transfer_declined',
  'transfer_timed_out',
  /** An overdue task escalated by the system: level 1 to its holder, level 2 to the region's coordinators. */
  'escalated',
  /** The holder asks the requesting commune a question (to waiting_info); its note is the question. */
  'question',
  /** The requesting commune answers (back to where the task was); its note is the answer. */
  'answer',
]);
export type TaskAction = z.infer<typeof TaskAction>;

/**
 * The Belgian national register number: 11 digits, the last two a mod-97 check over the first nine
 * (prefixed with 2 for people born from 2000 on). Dots, dashes and spaces are accepted and removed.
 */
export function isValidNationalNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const body = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  return 97 - (Number(body) % 97) === check || 97 - (Number(`2${body}`) % 97) === check;
}

/** Whether `text` holds a valid national register number (checked, so that other figures pass). */
export function holdsNationalNumber(text: string): boolean {
  for (const match of text.matchAll(/(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)/g)) {
    if (isValidNationalNumber(match[0].replace(/[\s.-]/g, ''))) return true;
  }
  return false;
}

/**
 * Free text (a title, details, an outcome, a reason) travels in clear, to every commune of the region:
 * a national register number is refused there; it belongs in the citizen fields, which are encrypted.
 */
export const freeText = (schema: z.ZodString) =>
  schema.refine((text) => !holdsNationalNumber(text), {
    error: 'must not hold a national register number: enter it in the citizen fields, which are encrypted',
    params: { code: 'citizen_data_in_text' },
  });

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();

export const Citizen = z
  .strictObject({
    fullName: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
    nationalNumber: z
      .string()
      .transform((v) => v.replace(/[\s.-]/g, ''))
      .refine(isValidNationalNumber, {
        error: 'must be a valid national register number (11 digits)',
        params: { code: 'national_number' },
      })
      .optional(),
    birthDate: z.iso.date({ error: 'must be a date like 1985-07-30' }).optional(),
    phone: optionalText(40),
    email: z.email({ error: 'must be an e-mail address' }).max(200).optional(),
    address: optionalText(400),
  })
  .meta({ id: 'Citizen' });
export type Citizen = z.infer<typeof Citizen>;

/**
 * An appointment's slot, given when an appointment-type task is posted: when it starts, how long it
 * lasts and where (the counter or office). The place is seen by every commune of the region and goes in
 * the helping commune's calendar feed: free text, so never a national register number.
 */
export const TaskSlot = z
  .strictObject({
    start: IsoDateTime,
    durationMinutes: z
      .number({ error: `must be a whole number of minutes from ${limits.slotMinutesMin} to ${limits.slotMinutesMax}` })
      .int(`must be a whole number of minutes from ${limits.slotMinutesMin} to ${limits.slotMinutesMax}`)
      .min(limits.slotMinutesMin, `must be at least ${limits.slotMinutesMin} minutes`)
      .max(limits.slotMinutesMax, `must be at most ${limits.slotMinutesMax} minutes`),
    place: freeText(
      z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(limits.slotPlaceMax, `must be at most ${limits.slotPlaceMax} characters`),
    ),
  })
  .meta({ id: 'TaskSlot' });
export type TaskSlot = z.infer<typeof TaskSlot>;
export type TaskSlotInput = z.input<typeof TaskSlot>;

export const TaskAbilities = z
  .object({
    update: z.boolean(),
    claim: z.boolean(),
    start: z.boolean(),
    complete: z.boolean(),
    release: z.boolean(),
    cancel: z.boolean(),
    reassign: z.boolean(),
    /** Correct the minutes a done task took (the holder's clerks, until a statement covers it). */
    correctTime: z.boolean(),
    viewCitizen: z.boolean(),
    /** Ask the holder to hand this claim over (a clerk of another commune, or the coordinator). */
    requestTransfer: z.boolean(),
    /** Ask the requesting commune a question, the task waiting for the answer (the holder's clerks). */
    ask: z.boolean(),
    /** Answer the question the task waits on (the requesting commune's managers). */
    answer: z.boolean(),
  })
  .meta({ id: 'TaskAbilities' });
export type TaskAbilities = z.infer<typeof TaskAbilities>;

/** A task as anyone who may see it sees it: never with citizen data. */
export const PublicTask = z
  .object({
    id: Id,
    /** The short code for paper and phone, `LIE-7K3Q9` (shared/task-code.ts). */
    code: z.string(),
    requestingCommuneId: Id,
    regionId: Id,
    incidentId: Id.nullable(),
    type: z.string(),
    title: z.string(),
    details: z.string(),
    priority: Priority,
    dueAt: z.string(),
    deliveryMode: DeliveryMode,
    status: TaskStatus,
    claimedByCommuneId: Id.nullable(),
    claimedByUserId: Id.nullable(),
    claimedAt: z.string().nullable(),
    /** When the holder was reminded of this claim, not started (null until then, and again at each claim). */
    remindedAt: z.string().nullable(),
    /** The open transfer request on this claim (GET /transfer-requests/:id), if any: a badge on the card. */
    transferRequestId: Id.nullable(),
    /** How far this overdue task was escalated: 0 not yet, 1 to its holder, 2 to the region's coordinators. */
    escalationLevel: z.number().int(),
    /**
     * A task in waiting_info: the question its holder asked, when, and the status the answer takes it
     * back to (null otherwise). The question is free text, as an outcome is; the history keeps it.
     */
    waiting: z.object({ question: z.string(), since: z.string(), from: z.enum(['claimed', 'in_progress']) }).nullable(),
    /** An appointment's slot (appointment-type tasks); null for the other types. */
    slot: z
      .object({ start: z.string(), durationMinutes: z.number().int(), place: z.string() })
      .nullable()
      .meta({ id: 'TaskSlotView' }),
    outcome: z.string().nullable(),
    /** The minutes the helping commune spent on it, once done (the type's default unless said). */
    minutesSpent: z.number().int().nullable(),
    doneAt: z.string().nullable(),
    hasCitizenData: z.boolean(),
    /** The person who posted it: a manager of the requesting commune, or the coordinator for it. */
    postedBy: Id.nullable(),
    /** Posted by the region's coordinator for the requesting commune, in incident. */
    onBehalf: z.boolean(),
    /** Posted by an integration (the citizen portal) with this token, not by a person. */
    postedByTokenId: Id.nullable(),
    /** The drill (exercise) this made-up task belongs to; null for every real task (docs/drills.md). */
    drillId: Id.nullable(),
    overdue: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PublicTask' });
export type PublicTask = z.infer<typeof PublicTask>;

/** A task as the caller sees it: what they may do, and citizen data where they may read it. */
export const Task = PublicTask.extend({
  abilities: TaskAbilities,
  citizen: Citizen.optional(),
  /** Why this citizen data may be processed (GDPR art. 6): sent with the citizen data, in both languages. */
  legalBasis: z.object({ fr: z.string(), en: z.string() }).optional(),
  /** Why the citizen data is not shown although the caller's commune may read it. */
  citizenWithheld: z.enum(['account_recovery_unconfirmed', 'erased']).optional(),
  /**
   * The citizen's public tracking code (13 characters of Crockford base 32, grouped `XXXX-XXXX-XXXXX`):
   * in the answer to the post, and to those who may read the task's citizen data, for the receipt.
   */
  trackingCode: z.string().optional(),
}).meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const TaskPage = page(Task, 'TaskPage');
export type TaskPage = z.infer<typeof TaskPage>;

export const TaskCreate = z
  .strictObject({
    /** Chosen by the client so that a retried post never creates the task twice. */
    id: Id.optional(),
    type: TaskTypeKey,
    title: freeText(
      z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(limits.titleMax, `must be at most ${limits.titleMax} characters`),
    ),
    details: freeText(
      z.string().trim().max(limits.detailsMax, `must be at most ${limits.detailsMax} characters`),
    ).default(''),
    priority: Priority.default('normal'),
    dueAt: IsoDateTime.optional(),
    deliveryMode: DeliveryMode.default('pickup_helper'),
    incidentId: Id.optional(),
    /**
     * The commune the task is for: a coordinator posts for a commune of the region in incident; a
     * manager or an integration token, only for its own commune (the default).
     */
    requestingCommuneId: Id.optional(),
    citizen: Citizen.optional(),
    /** Required for a task type of category `appointment`, refused for the others; not in the past. */
    slot: TaskSlot.optional(),
  })
  .meta({ id: 'TaskCreate' });
export type TaskCreate = z.infer<typeof TaskCreate>;
export type TaskCreateInput = z.input<typeof TaskCreate>;

export const TaskUpdate = z
  .strictObject({
    version: Version,
    title: TaskCreate.shape.title.optional(),
    details: freeText(z.string().trim().max(limits.detailsMax)).optional(),
    priority: Priority.optional(),
    dueAt: IsoDateTime.optional(),
    deliveryMode: DeliveryMode.optional(),
    citizen: Citizen.nullable().optional(),
  })
  .meta({ id: 'TaskUpdate' });
export type TaskUpdate = z.infer<typeof TaskUpdate>;

/** A reason or a note typed by staff: free text, so never a national register number. */
export const Reason = freeText(
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(limits.noteMax, `must be at most ${limits.noteMax} characters`),
);

export const ClaimRequest = z.strictObject({}).meta({ id: 'ClaimRequest' });
export const StartRequest = z.strictObject({ version: Version }).meta({ id: 'StartRequest' });
/** Minutes spent on a task: a whole number from 1 to a day. */
export const MinutesSpent = z
  .number({ error: `must be a whole number of minutes from 1 to ${limits.minutesSpentMax}` })
  .int(`must be a whole number of minutes from 1 to ${limits.minutesSpentMax}`)
  .min(1, `must be a whole number of minutes from 1 to ${limits.minutesSpentMax}`)
  .max(limits.minutesSpentMax, `must be a whole number of minutes from 1 to ${limits.minutesSpentMax}`);

export const CompleteRequest = z
  .strictObject({ version: Version, note: Reason.optional(), minutesSpent: MinutesSpent.optional() })
  .meta({ id: 'CompleteRequest' });
/** The holder corrects the minutes a done task took. */
export const TimeCorrection = z
  .strictObject({ version: Version, minutesSpent: MinutesSpent })
  .meta({ id: 'TimeCorrection' });
export type TimeCorrection = z.infer<typeof TimeCorrection>;
export const ReleaseRequest = z.strictObject({ version: Version, reason: Reason }).meta({ id: 'ReleaseRequest' });
export const CancelRequest = z
  .strictObject({ version: Version, reason: Reason.optional() })
  .meta({ id: 'CancelRequest' });
export const ReassignRequest = z.strictObject({ version: Version, communeId: Id }).meta({ id: 'ReassignRequest' });
/** The holder's question to the requesting commune: 1 to 2000 characters once trimmed. */
export const QuestionRequest = z.strictObject({ version: Version, text: Reason }).meta({ id: 'QuestionRequest' });
/** The requesting commune's answer: 1 to 2000 characters once trimmed. */
export const AnswerRequest = z.strictObject({ version: Version, text: Reason }).meta({ id: 'AnswerRequest' });
export type QuestionRequest = z.infer<typeof QuestionRequest>;
export type AnswerRequest = z.infer<typeof AnswerRequest>;
export type CompleteRequest = z.infer<typeof CompleteRequest>;
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;
export type CancelRequest = z.infer<typeof CancelRequest>;
export type ReassignRequest = z.infer<typeof ReassignRequest>;

/** The board's orders: by due date, by priority (urgent first, then by due date), newest first; ties by id. */
export const TaskSort = z.enum(['due', 'priority', 'created'], { error: 'must be due, priority or created' });
export type TaskSort = z.infer<typeof TaskSort>;

/** The board's filters: what the list, its counts and the export all select by. */
const taskFilters = {
  status: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(TaskStatus).min(1))
    .optional(),
  type: TaskTypeKey.optional(),
  commune: Id.optional(),
  claimedBy: Id.optional(),
  priority: Priority.optional(),
  overdue: QueryBoolean.optional(),
  /** Searched without regard to case or accents in the title, details, type labels and code. */
  q: z.string().trim().max(limits.searchMax, `must be at most ${limits.searchMax} characters`).optional(),
  /** A running drill of the caller's region: its made-up tasks instead of the real board (exercise mode). */
  drill: Id.optional(),
};

export const TaskListQuery = z.strictObject({
  ...taskFilters,
  sort: TaskSort.default('due'),
  cursor: z.string().max(300, 'must be a nextCursor returned by a previous page').optional(),
  limit: Limit,
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;

/** The board's filters, for an export of every task they select. */
export const TaskExportQuery = TaskListQuery.omit({ cursor: true, limit: true });
export type TaskExportQuery = z.infer<typeof TaskExportQuery>;

/** The filters of the board's counts: every filter but the status, which the counts split by. */
export const TaskCountsQuery = TaskListQuery.omit({ status: true, cursor: true, limit: true, sort: true });
export type TaskCountsQuery = z.infer<typeof TaskCountsQuery>;

/** Exact counts of the tasks the filters select, by status, and how many of them are overdue. */
export const TaskCounts = z
  .object({
    open: z.number().int(),
    claimed: z.number().int(),
    in_progress: z.number().int(),
    waiting_info: z.number().int(),
    done: z.number().int(),
    cancelled: z.number().int(),
    overdue: z.number().int(),
  })
  .meta({ id: 'TaskCounts' });
export type TaskCounts = z.infer<typeof TaskCounts>;

export const TaskEvent = z
  .object({
    id: z.number().int(),
    seq: z.number().int().nullable(),
    taskId: Id,
    action: TaskAction,
    actorUserId: Id.nullable(),
    actorName: z.string().nullable(),
    /** `system` for what nobody did by hand: a stale claim released, a reminder, an erasure. */
    actorKind: z.enum(['user', 'system']),
    actorCommuneId: Id.nullable(),
    fromStatus: TaskStatus.nullable(),
    toStatus: TaskStatus,
    note: z.string().nullable(),
    /** An `escalated` event: to whom (1 the holder, 2 the region's coordinators). */
    escalationLevel: z.number().int().optional(),
    /** A post by the coordinator for a commune in incident: that commune. */
    onBehalfOf: z.object({ communeId: Id, communeName: z.string() }).nullable(),
    /** A post by an integration (the citizen portal): its token. */
    integration: z.object({ tokenId: Id, name: z.string() }).nullable(),
    at: z.string(),
    /** Null for the moment between the change's commit and its numbering. */
    prevHash: z.string().nullable(),
    hash: z.string().nullable(),
  })
  .meta({ id: 'TaskEvent' });
export type TaskEvent = z.infer<typeof TaskEvent>;

export const TaskHistory = z.object({ items: z.array(TaskEvent), chainValid: z.boolean() }).meta({ id: 'TaskHistory' });
export type TaskHistory = z.infer<typeof TaskHistory>;

export const BulkResult = z
  .object({
    dryRun: z.boolean(),
    count: z.number().int(),
    items: z.array(z.object({ row: z.number().int(), task: Task.optional() })),
  })
  .meta({ id: 'BulkResult' });
export type BulkResult = z.infer<typeof BulkResult>;

export const CitizenRead = z
  .object({
    at: z.string(),
    userId: Id,
    username: z.string(),
    communeId: Id.nullable(),
  })
  .meta({ id: 'CitizenRead' });
export const CitizenReadList = z.object({ items: z.array(CitizenRead) }).meta({ id: 'CitizenReadList' });

/** Columns of the CSV import, in template order. */
export const csvColumns = [
  'type',
  'title',
  'details',
  'priority',
  'dueAt',
  'deliveryMode',
  'incidentId',
  'citizenFullName',
  'citizenNationalNumber',
  'citizenBirthDate',
  'citizenPhone',
  'citizenEmail',
  'citizenAddress',
  'slotStart',
  'slotDurationMinutes',
  'slotPlace',
] as const;
