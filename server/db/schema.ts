import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  primaryKey,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () =>
  uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`);

export const regions = pgTable('regions', {
  id: id(),
  name: text('name').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const communes = pgTable(
  'communes',
  {
    id: id(),
    name: text('name').notNull(),
    code: text('code').notNull().unique(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    status: text('status', { enum: ['normal', 'incident', 'recovering'] })
      .notNull()
      .default('normal'),
    /** The three letters that begin its tasks' codes (`LIE` for Liège): see communes/commune-prefix.ts. */
    taskCodePrefix: text('task_code_prefix').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('communes_region_idx').on(t.regionId),
    // I and L read alike in a code (shared/task-code.ts): two prefixes must differ otherwise.
    uniqueIndex('communes_task_code_prefix_key').on(sql`replace(${t.taskCodePrefix}, 'L', 'I')`),
    check('communes_task_code_prefix_letters', sql`${t.taskCodePrefix} ~ '^[A-Z]{3}$'`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['manager', 'clerk', 'coordinator', 'dpo', 'admin'] }).notNull(),
    communeId: uuid('commune_id').references(() => communes.id),
    regionId: uuid('region_id').references(() => regions.id),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    /** The TOTP secret (RFC 6238), sealed with DATA_KEY; set at enrolment, active once confirmed. */
    totpSecret: text('totp_secret'),
    totpConfirmedAt: ts('totp_confirmed_at'),
    /** The last time step a TOTP code was accepted for: a code is good once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** Where notifications go by e-mail (optional, set by the user or the admin). */
    email: text('email'),
    /**
     * The language the user chose (PATCH /me): of their notifications and e-mails (French when they
     * chose none) and of the problems the API answers them (their browser's language when none).
     */
    locale: text('locale', { enum: ['fr', 'en'] }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'users_scope_ck',
      sql`(${t.role} in ('manager','clerk') and ${t.communeId} is not null and ${t.regionId} is null)
    or (${t.role} in ('coordinator','dpo') and ${t.regionId} is not null and ${t.communeId} is null)
    or (${t.role} = 'admin' and ${t.communeId} is null and ${t.regionId} is null)`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    sess: jsonb('sess').notNull(),
    userId: uuid('user_id'),
    expiresAt: ts('expires_at').notNull(),
    /** When the session began (its sign-in): it ends SESSION_MAX_HOURS later, however busy. */
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt), index('sessions_user_idx').on(t.userId)],
);

/**
 * One-time access codes a coordinator issues to a commune's manager or clerk (read out over the
 * phone): used once, before it expires, to sign in and choose a new password. Only a hash is kept.
 */
export const accessCodes = pgTable(
  'access_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull().unique(),
    issuedBy: uuid('issued_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    /** Set when a newer code replaced this one unused: kept, as a record of who issued what. */
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('access_codes_user_idx').on(t.userId)],
);

/** Failed-login counters, shared by every instance. */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: ts('reset_at').notNull(),
});

export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    communeId: uuid('commune_id')
      .notNull()
      .references(() => communes.id),
    kind: text('kind', { enum: ['cyberattack', 'flood', 'fire', 'other'] }).notNull(),
    title: text('title').notNull(),
    affectedServices: text('affected_services')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text('status', { enum: ['active', 'recovering', 'closed'] })
      .notNull()
      .default('active'),
    openedBy: uuid('opened_by').references(() => users.id),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // One incident at a time per commune: a second one would make the commune's status ambiguous.
    uniqueIndex('incidents_one_open_per_commune')
      .on(t.communeId)
      .where(sql`${t.status} <> 'closed'`),
  ],
);

export const taskTypes = pgTable('task_types', {
  key: text('key').primaryKey(),
  labelFr: text('label_fr').notNull(),
  labelEn: text('label_en').notNull(),
  category: text('category', { enum: ['document', 'appointment', 'other'] }).notNull(),
  slaHours: integer('sla_hours').notNull(),
  /** The minutes a task of this type takes, as a rule: what a completion counts unless told otherwise. */
  defaultMinutes: integer('default_minutes').notNull().default(15),
  /** Why citizen data may be processed for this task (GDPR art. 6), shown beside that data. */
  legalBasisFr: text('legal_basis_fr').notNull().default(''),
  legalBasisEn: text('legal_basis_en').notNull().default(''),
});

/**
 * API tokens of the integrations (a commune's citizen portal): each posts tasks for one commune only.
 * Only a hash of the token is kept; the token is shown once, when it is created.
 */
export const integrationTokens = pgTable(
  'integration_tokens',
  {
    id: id(),
    communeId: uuid('commune_id')
      .notNull()
      .references(() => communes.id),
    name: text('name').notNull(),
    /** The first characters of the token, to tell tokens apart in a list; not enough to use it. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [index('integration_tokens_commune_idx').on(t.communeId)],
);

/**
 * A commune's secret calendar link (GET /communes/:id/appointments.ics?key=…). The key is derived from
 * DATA_KEY and `nonce` (communes/appointments-link.ts), so the table alone does not give it; the feed
 * checks a key against `keyHash` (sha-256). Renewing draws a new nonce: the old key stops at once.
 */
export const communeCalendarLinks = pgTable('commune_calendar_links', {
  communeId: uuid('commune_id')
    .primaryKey()
    .references(() => communes.id),
  nonce: text('nonce').notNull(),
  keyHash: text('key_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  renewedAt: ts('renewed_at'),
  renewedBy: uuid('renewed_by').references(() => users.id),
});

/**
 * The answers of posts made with an `Idempotency-Key`: a retry with the same key and body gets the
 * first answer again. `scope` is whoever posted (`token:<id>` or `user:<id>`); a row without a status
 * is a post under way. Kept 24 hours.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    requestingCommuneId: uuid('requesting_commune_id')
      .notNull()
      .references(() => communes.id),
    // The region the task was posted in; it stays there even if its commune were moved.
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    incidentId: uuid('incident_id').references(() => incidents.id),
    type: text('type')
      .notNull()
      .references(() => taskTypes.key),
    title: text('title').notNull(),
    details: text('details').notNull().default(''),
    priority: text('priority', { enum: ['urgent', 'high', 'normal', 'low'] }).notNull(),
    dueAt: ts('due_at').notNull(),
    deliveryMode: text('delivery_mode', { enum: ['pickup_helper', 'post', 'e_guichet'] }).notNull(),
    /** AES-256-GCM ciphertext of the citizen data; never stored in clear. */
    citizenCiphertext: text('citizen_ciphertext'),
    status: text('status', { enum: ['open', 'claimed', 'in_progress', 'waiting_info', 'done', 'cancelled'] })
      .notNull()
      .default('open'),
    claimedByCommuneId: uuid('claimed_by_commune_id').references(() => communes.id),
    claimedByUserId: uuid('claimed_by_user_id').references(() => users.id),
    claimedAt: ts('claimed_at'),
    outcome: text('outcome'),
    version: integer('version').notNull().default(1),
    /** Who posted it: a manager of the requesting commune, or a coordinator on its behalf. */
    createdBy: uuid('created_by').references(() => users.id),
    /** Posted by the region's coordinator for a commune in incident, not by the commune itself. */
    onBehalf: boolean('on_behalf').notNull().default(false),
    /** Posted by an integration (the citizen portal) with this token, rather than by a person. */
    postedByTokenId: uuid('posted_by_token_id').references(() => integrationTokens.id),
    /**
     * The public tracking code of a task with a citizen: its HMAC (keyed by DATA_KEY) to find the task
     * by, and the code itself sealed with DATA_KEY, so that a receipt can be printed again.
     */
    trackingHash: text('tracking_hash').unique(),
    trackingSealed: text('tracking_sealed'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
    /** The minutes the helping commune spent, set when it completes the task; correctable until a statement covers it. */
    minutesSpent: integer('minutes_spent'),
    /** When the retention job erased the citizen data (CITIZEN_RETENTION_DAYS after done or cancelled). */
    citizenErasedAt: ts('citizen_erased_at'),
    /** When the holder was reminded of this claim, not yet started (null again at each claim). */
    remindedAt: ts('reminded_at'),
    /** The short code for paper and phone (`LIE-7K3Q9`, shared/task-code.ts). */
    code: text('code').notNull(),
    /**
     * The open transfer request on this claim, if any (resources/transfers/): on the row so that the board's
     * cards show it live. A trigger (migration 0018) cancels the request and clears this when the claim
     * ends or changes hands otherwise (started, released, cancelled, reassigned).
     */
    transferRequestId: uuid('transfer_request_id').references((): AnyPgColumn => transferRequests.id),
    /**
     * A task in waiting_info (resources/tasks/tasks.ts, askQuestion): the status the answer takes it back
     * to, since when it waits (the due date moves later by the wait) and the question. All null otherwise.
     */
    waitingFrom: text('waiting_from', { enum: ['claimed', 'in_progress'] }),
    waitingSince: ts('waiting_since'),
    question: text('question'),
    /** How far an overdue task has been escalated: 0 not yet, 1 its holder, 2 the region's coordinators. */
    escalationLevel: smallint('escalation_level').notNull().default(0),
    /** When the last escalation was made. */
    escalatedAt: ts('escalated_at'),
    /**
     * An appointment's slot (task types of category `appointment` only, all three or none): when it
     * starts, how long it lasts and where (the counter or office, as the poster typed it).
     */
    slotStart: ts('slot_start'),
    slotMinutes: integer('slot_minutes'),
    slotPlace: text('slot_place'),
    /** The board's priority order, urgent first, as a column the indexes and cursors can use. */
    /**
     * The drill (rehearsal) this made-up task belongs to; null for every real task. Real-world reads
     * filter on it through one condition (tasks-repo `taskWorld`); the drill's end deletes its tasks.
     */
    drillId: uuid('drill_id').references((): AnyPgColumn => drills.id),
    priorityRank: smallint('priority_rank')
      .notNull()
      .generatedAlwaysAs(sql`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`),
  },
  (t) => [
    index('tasks_region_board_idx').on(t.regionId, t.dueAt, t.id),
    // The board's columns, one status each, in each of its orders.
    index('tasks_board_due_idx').on(t.regionId, t.status, t.dueAt, t.id),
    index('tasks_board_priority_idx').on(t.regionId, t.status, t.priorityRank, t.dueAt, t.id),
    index('tasks_board_created_idx').on(t.regionId, t.status, t.createdAt, t.id),
    check(
      'tasks_slot_whole',
      sql`(${t.slotStart} is null) = (${t.slotMinutes} is null) and (${t.slotStart} is null) = (${t.slotPlace} is null)`,
    ),
    // The appointments a commune holds, for its calendar feed.
    index('tasks_holder_slot_idx')
      .on(t.claimedByCommuneId, t.slotStart)
      .where(sql`${t.slotStart} is not null`),
    // Codes are told apart with I and L read alike, as they are looked up.
    uniqueIndex('tasks_code_key').on(sql`replace(${t.code}, 'L', 'I')`),
    index('tasks_requester_idx').on(t.requestingCommuneId, t.status),
    index('tasks_holder_idx').on(t.claimedByCommuneId, t.status),
    // The claims not started yet, by age: what the reminder and stale-claim jobs look for.
    index('tasks_claimed_since_idx')
      .on(t.claimedAt)
      .where(sql`${t.status} = 'claimed'`),
    // The daily report: the region's active tasks, and those changed since a day's end.
    index('tasks_region_active_idx')
      .on(t.regionId, t.createdAt)
      .where(sql`${t.status} not in ('done', 'cancelled')`),
    index('tasks_region_updated_idx').on(t.regionId, t.updatedAt),
    // The cost statements: the region's tasks done in a period.
    index('tasks_region_done_idx')
      .on(t.regionId, t.doneAt)
      .where(sql`${t.status} = 'done'`),
    // The held tasks not escalated to the end yet, by due date: what the escalation job looks for.
    index('tasks_escalation_idx')
      .on(t.dueAt)
      .where(sql`${t.status} in ('claimed', 'in_progress') and ${t.escalationLevel} < 2`),
    check(
      'tasks_status_ck',
      sql`${t.status} in ('open', 'claimed', 'in_progress', 'waiting_info', 'done', 'cancelled')`,
    ),
    // A task waits exactly when it is in waiting_info, and knows where its answer takes it back to.
    check(
      'tasks_waiting_ck',
      sql`(${t.status} = 'waiting_info') = (${t.waitingFrom} is not null and ${t.waitingSince} is not null and ${t.question} is not null)`,
    ),
    index('tasks_drill_idx')
      .on(t.drillId)
      .where(sql`${t.drillId} is not null`),
  ],
);

/**
 * A rehearsal of a region (docs/drills.md): a wave of made-up tasks, marked with the drill's id,
 * that the region's people work in "exercise" mode; at its end the report is kept here and every
 * trace of its tasks is deleted. One running drill per region at most.
 */
export const drills = pgTable(
  'drills',
  {
    id: id(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    name: text('name').notNull(),
    status: text('status', { enum: ['running', 'ended'] })
      .notNull()
      .default('running'),
    tasksPosted: integer('tasks_posted').notNull(),
    /** How long the exercise is planned for: the made-up tasks fall due within it. */
    durationMinutes: integer('duration_minutes').notNull(),
    startedBy: uuid('started_by').references(() => users.id),
    startedAt: ts('started_at').notNull(),
    endedBy: uuid('ended_by').references(() => users.id),
    endedAt: ts('ended_at'),
    /** The figures computed at the end (shared/schemas/drills.ts DrillReport). */
    report: jsonb('report'),
  },
  (t) => [
    uniqueIndex('drills_running_key')
      .on(t.regionId)
      .where(sql`${t.status} = 'running'`),
    index('drills_region_idx').on(t.regionId, t.startedAt),
  ],
);

/**
 * A commune's request to take over a task another commune has claimed and not started
 * (resources/transfers/). One open request per task at most; the holder accepts or declines it,
 * and unanswered at `expiresAt` (the region's `transferTimeoutMinutes` after it was made) the task
 * moves to the asking commune. A request is cancelled when the claim ends otherwise meanwhile.
 */
export const transferRequests = pgTable(
  'transfer_requests',
  {
    id: id(),
    taskId: uuid('task_id')
      .notNull()
      .references((): AnyPgColumn => tasks.id),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    /** The commune that held the claim when the request was made: the one that answers. */
    holderCommuneId: uuid('holder_commune_id')
      .notNull()
      .references(() => communes.id),
    /** The commune the task would go to: the asking clerk's, or the one a coordinator named. */
    askerCommuneId: uuid('asker_commune_id')
      .notNull()
      .references(() => communes.id),
    askedByUserId: uuid('asked_by_user_id')
      .notNull()
      .references(() => users.id),
    note: text('note'),
    status: text('status', { enum: ['open', 'accepted', 'declined', 'timed_out', 'cancelled'] })
      .notNull()
      .default('open'),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    closedAt: ts('closed_at'),
    /** Who accepted or declined it; null when the system closed it (a timeout, the claim ended). */
    closedByUserId: uuid('closed_by_user_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('transfer_requests_one_open_key')
      .on(t.taskId)
      .where(sql`${t.status} = 'open'`),
    index('transfer_requests_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'open'`),
    index('transfer_requests_region_open_idx')
      .on(t.regionId)
      .where(sql`${t.status} = 'open'`),
  ],
);

/**
 * What `q` searches, one row per task: title, details, type labels and code, folded
 * (shared/task-search.ts). Kept beside the task, not in it: a claim rewrites the task's row and so
 * every index on it, and a trigram index on the row would make each claim insert its text's
 * trigrams again. This row is written once, when the task is posted.
 */
export const taskSearch = pgTable(
  'task_search',
  {
    taskId: uuid('task_id')
      .primaryKey()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    searchText: text('search_text').notNull(),
  },
  (t) => [
    // Without a pending list the planner sees the index as it is: PGlite has no autovacuum to flush one.
    index('task_search_idx').using('gin', t.searchText.op('gin_trgm_ops')).with({ fastupdate: false }),
  ],
);

/**
 * The append-only log of every change to a task or an incident. Rows are numbered (`seq`) and
 * hashed by the sequencer only after they commit, so the numbering order is the commit order;
 * `hash` chains each row to the previous one of the same subject. A column added here must join the
 * list of migration 0024's `events_append_only` trigger (test/integration/events-guard.test.ts).
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }),
    /** The `seq` of the region's previous event (0 for its first), set with `seq`: a live client spots gaps with it. */
    regionPrevSeq: bigint('region_prev_seq', { mode: 'number' }),
    taskId: uuid('task_id').references(() => tasks.id),
    incidentId: uuid('incident_id').references(() => incidents.id),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    type: text('type', { enum: ['task:created', 'task:updated', 'incident:updated'] }).notNull(),
    action: text('action').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorCommuneId: uuid('actor_commune_id').references(() => communes.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    note: text('note'),
    /** The subject's row right after the change, without citizen data (only whether there is some). */
    snapshot: jsonb('snapshot').notNull(),
    /**
     * The drill of a made-up task's event: never numbered, hashed or published by the sequencer, so
     * outside every chain; deleted with the drill's tasks at its end (docs/drills.md).
     */
    drillId: uuid('drill_id'),
    /** Set by the sequencer with the number, in commit order; null until then. */
    prevHash: text('prev_hash'),
    hash: text('hash'),
    /**
     * The global chain, in `seq` order: sha256(previous event's chain_hash, "\n", this hash). Its head
     * commits to every event before it, so an anchored head reveals any rewrite or a missing tail.
     */
    chainHash: text('chain_hash'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    // Partial where a column is often null: an event is written twice (inserted, then numbered), and
    // every index entry not made is one less write per claim. Every query that uses them says
    // `column = …` or `seq > …`, which implies the column is not null.
    uniqueIndex('events_seq_key')
      .on(t.seq)
      .where(sql`${t.seq} is not null`),
    index('events_task_idx')
      .on(t.taskId, t.id)
      .where(sql`${t.taskId} is not null`),
    index('events_incident_idx')
      .on(t.incidentId, t.id)
      .where(sql`${t.incidentId} is not null`),
    index('events_region_seq_idx')
      .on(t.regionId, t.seq)
      .where(sql`${t.seq} is not null`),
    index('events_unsequenced_idx')
      .on(t.id)
      .where(sql`${t.seq} is null and ${t.drillId} is null`),
    index('events_drill_idx')
      .on(t.drillId)
      .where(sql`${t.drillId} is not null`),
    // The daily report: a region's task events of one day.
    index('events_region_day_idx')
      .on(t.regionId, t.createdAt)
      .where(sql`${t.taskId} is not null`),
    check('events_subject_ck', sql`(${t.taskId} is null) <> (${t.incidentId} is null)`),
  ],
);

/** One row: the last sequence number handed out. Locking it serialises the sequencer. */
export const eventSequencer = pgTable(
  'event_sequencer',
  {
    id: smallint('id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    /** The chain_hash of event `last_seq`: where the next run's chain starts. */
    lastChainHash: text('last_chain_hash'),
  },
  (t) => [check('event_sequencer_single_ck', sql`${t.id} = 1`)],
);

/**
 * The audit trail beyond task and incident events: every read of citizen data, access codes issued
 * and used, account changes and recoveries, sign-ins, settings, erasures and exports. Append-only
 * (a trigger refuses UPDATE and DELETE but the numbering), numbered and hash-chained in one global
 * chain after commit, as events are. `detail` never holds citizen data.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }),
    /** The region concerned, for its DPO; null for the platform's own (the admin's sign-ins). */
    regionId: uuid('region_id').references(() => regions.id),
    kind: text('kind').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorCommuneId: uuid('actor_commune_id').references(() => communes.id),
    subjectUserId: uuid('subject_user_id').references(() => users.id),
    taskId: uuid('task_id').references(() => tasks.id),
    detail: jsonb('detail')
      .notNull()
      .default(sql`'{}'::jsonb`),
    at: ts('at').notNull().defaultNow(),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    uniqueIndex('audit_log_seq_key')
      .on(t.seq)
      .where(sql`${t.seq} is not null`),
    index('audit_log_region_idx')
      .on(t.regionId, t.at)
      .where(sql`${t.regionId} is not null`),
    index('audit_log_task_idx')
      .on(t.taskId, t.at)
      .where(sql`${t.taskId} is not null`),
    index('audit_log_unsequenced_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
  ],
);

/** One row: the last audit number handed out, and its hash, where the next run's chain starts. */
export const auditSequencer = pgTable(
  'audit_sequencer',
  {
    id: smallint('id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastHash: text('last_hash'),
  },
  (t) => [check('audit_sequencer_single_ck', sql`${t.id} = 1`)],
);

/** A region's data protection settings, set by its DPO; unset values take the configured defaults. */
/**
 * A region's own settings; null where it keeps the platform's default. Retention is the DPO's; the
 * coordination settings (shared/schemas/coordination.ts, whose bounds the checks repeat) the coordinator's.
 */
export const regionSettings = pgTable(
  'region_settings',
  {
    regionId: uuid('region_id')
      .primaryKey()
      .references(() => regions.id),
    citizenRetentionDays: integer('citizen_retention_days'),
    maxActiveClaimsPerCommune: integer('max_active_claims_per_commune'),
    transferTimeoutMinutes: integer('transfer_timeout_minutes'),
    staleClaimHours: integer('stale_claim_hours'),
    remindAfterHours: integer('remind_after_hours'),
    /** The hourly rate of the region's cost statements, in euro cents, set by its coordinator; null until set (0). */
    hourlyRateCents: integer('hourly_rate_cents'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    check('region_settings_claim_cap_ck', sql`${t.maxActiveClaimsPerCommune} between 1 and 10000`),
    check('region_settings_transfer_timeout_ck', sql`${t.transferTimeoutMinutes} between 5 and 10080`),
    check('region_settings_stale_claim_ck', sql`${t.staleClaimHours} between 1 and 720`),
    check('region_settings_remind_after_ck', sql`${t.remindAfterHours} between 1 and 720`),
  ],
);

/**
 * Each commune's active claims (claimed or in progress), kept by triggers on tasks (migration 0012) so
 * that the claim statement reads one row per commune instead of counting: it reads and locks the
 * rows of its communes, and holds them until it commits, so two claims of one commune cannot both
 * take its last place.
 */
export const communeClaimCounts = pgTable('commune_claim_counts', {
  communeId: uuid('commune_id')
    .primaryKey()
    .references(() => communes.id),
  active: integer('active').notNull().default(0),
});

/**
 * A cost statement a coordinator closed: the period's lines as they stood then (no citizen data),
 * their totals, the rate, and who signed it off. Its tasks' minutes can no longer change.
 */
export const statements = pgTable(
  'statements',
  {
    id: id(),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    /** The first and last days covered (both included), in the region's time zone. */
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    hourlyRateCents: integer('hourly_rate_cents').notNull(),
    tasks: integer('tasks').notNull(),
    minutes: integer('minutes').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    closedBy: uuid('closed_by').references(() => users.id),
    closedByName: text('closed_by_name').notNull(),
    closedAt: ts('closed_at').notNull(),
  },
  (t) => [
    index('statements_region_idx').on(t.regionId, t.periodFrom),
    check('statements_period_ck', sql`${t.periodFrom} <= ${t.periodTo}`),
  ],
);

/** A closed statement's lines: one per helping commune, helped commune and task type. */
export const statementLines = pgTable(
  'statement_lines',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id),
    helperCommuneId: uuid('helper_commune_id')
      .notNull()
      .references(() => communes.id),
    helperCommuneName: text('helper_commune_name').notNull(),
    helpedCommuneId: uuid('helped_commune_id')
      .notNull()
      .references(() => communes.id),
    helpedCommuneName: text('helped_commune_name').notNull(),
    taskType: text('task_type').notNull(),
    tasks: integer('tasks').notNull(),
    minutes: integer('minutes').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.helperCommuneId, t.helpedCommuneId, t.taskType] })],
);

/** A region's own wording of a task type's legal basis, set by its DPO, over the platform's. */
export const regionLegalBases = pgTable(
  'region_legal_bases',
  {
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    taskType: text('task_type')
      .notNull()
      .references(() => taskTypes.key),
    legalBasisFr: text('legal_basis_fr').notNull(),
    legalBasisEn: text('legal_basis_en').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.taskType] })],
);

/**
 * An account recovered by someone else (an access code, a password reset): until a second person
 * confirms it, the account reaches no citizen data. Its owner is told at their next sign-in.
 */
export const accountRecoveries = pgTable(
  'account_recoveries',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    method: text('method', { enum: ['access_code', 'password_reset', 'created', 'second_factor_reset'] }).notNull(),
    recoveredBy: uuid('recovered_by')
      .notNull()
      .references(() => users.id),
    recoveredAt: ts('recovered_at').notNull().defaultNow(),
    confirmedBy: uuid('confirmed_by').references(() => users.id),
    confirmedAt: ts('confirmed_at'),
    /** When the owner saw, at a sign-in, that it happened. */
    seenAt: ts('seen_at'),
  },
  (t) => [index('account_recoveries_user_idx').on(t.userId, t.recoveredAt)],
);

/** One-time recovery codes of the TOTP second factor; only their hashes are kept. */
export const totpRecoveryCodes = pgTable(
  'totp_recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    usedAt: ts('used_at'),
  },
  (t) => [index('totp_recovery_codes_user_idx').on(t.userId)],
);

/** Jobs that run on a schedule inside the server, each once across instances (SKIP LOCKED). */
export const jobs = pgTable('jobs', {
  name: text('name').primaryKey(),
  nextRunAt: ts('next_run_at').notNull(),
  lastRunAt: ts('last_run_at'),
  lastError: text('last_error'),
  runs: integer('runs').notNull().default(0),
});

/** One row: the last event `seq` the notifier has fanned out. Locking it serialises the notifier. */
export const notifierCursor = pgTable(
  'notifier_cursor',
  {
    id: smallint('id').primaryKey(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  },
  (t) => [check('notifier_cursor_single_ck', sql`${t.id} = 1`)],
);

/**
 * A user's inbox: what happened to a task that concerns them. Data, not text: the title is worded
 * in the reader's language when read. No citizen data, no free text (a title may hold names).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    /** Newest first, and the page cursor. */
    position: bigserial('position', { mode: 'number' }).notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    /** The event's action (claim, complete, release…). */
    kind: text('kind').notNull(),
    taskId: uuid('task_id').references(() => tasks.id),
    taskCode: text('task_code'),
    taskType: text('task_type').notNull(),
    taskStatus: text('task_status').notNull(),
    requestingCommuneName: text('requesting_commune_name').notNull(),
    holderCommuneName: text('holder_commune_name'),
    /** Whose act it was: a commune's name, or null for the system. */
    actorCommuneName: text('actor_commune_name'),
    /** No one did it: the system did (a timeout, a reminder). */
    bySystem: boolean('by_system').notNull().default(false),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [
    uniqueIndex('notifications_user_event_key').on(t.userId, t.eventSeq),
    index('notifications_inbox_idx').on(t.userId, t.position),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/** An outbound webhook of a commune (its managers) or of a region (its coordinators). */
export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    communeId: uuid('commune_id').references(() => communes.id),
    regionId: uuid('region_id').references(() => regions.id),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull(),
    /** The signing secret, sealed with DATA_KEY: shown once at creation. */
    secretSealed: text('secret_sealed').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [check('webhooks_scope_ck', sql`(${t.communeId} is null) <> (${t.regionId} is null)`)],
);

/** Something to send out (a webhook call or an e-mail), tried until it succeeds or a day has passed. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: id(),
    channel: text('channel', { enum: ['webhook', 'email'] }).notNull(),
    webhookId: uuid('webhook_id').references(() => webhooks.id),
    notificationId: uuid('notification_id').references(() => notifications.id),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    /** The webhook event's name (task.claimed…) or the notification's kind. */
    event: text('event').notNull(),
    /** The webhook's JSON body, exactly as signed; null for an e-mail (worded when sent). */
    payload: text('payload'),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    /** Taken by a delivery run until then: another instance leaves it alone meanwhile. */
    leasedUntil: ts('leased_until'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    index('deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

/** Each try of a delivery: the answer's status code or the error, and how long it took. */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => deliveries.id),
    at: ts('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('delivery_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

/**
 * A helping commune's capacity offer (resources/capacity-offers/): so many tasks a day of these types
 * over a period of days (Europe/Brussels, both included). Two offers of one commune may not overlap
 * in both days and a task type: the service checks it with the commune's row locked.
 */
export const capacityOffers = pgTable(
  'capacity_offers',
  {
    id: id(),
    communeId: uuid('commune_id')
      .notNull()
      .references(() => communes.id),
    regionId: uuid('region_id')
      .notNull()
      .references(() => regions.id),
    taskTypes: text('task_types').array().notNull(),
    perDay: integer('per_day').notNull(),
    fromDay: date('from_day', { mode: 'string' }).notNull(),
    toDay: date('to_day', { mode: 'string' }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('capacity_offers_region_idx').on(t.regionId, t.fromDay),
    index('capacity_offers_commune_idx').on(t.communeId, t.toDay),
    check('capacity_offers_per_day_ck', sql`${t.perDay} between 1 and 1000`),
    check('capacity_offers_period_ck', sql`${t.toDay} >= ${t.fromDay} and ${t.toDay} - ${t.fromDay} < 366`),
    check('capacity_offers_types_ck', sql`cardinality(${t.taskTypes}) >= 1`),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type DrillRow = typeof drills.$inferSelect;
export type TransferRequestRow = typeof transferRequests.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type CommuneRow = typeof communes.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type StatementRow = typeof statements.$inferSelect;
export type StatementLineRow = typeof statementLines.$inferSelect;
export type IntegrationTokenRow = typeof integrationTokens.$inferSelect;
export type CapacityOfferRow = typeof capacityOffers.$inferSelect;
