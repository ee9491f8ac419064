import { and, asc, desc, eq, getTableColumns, inArray, isNull, like, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import type { Priority, TaskCounts, TaskSort, TaskStatus } from '../../../shared/schemas';
import { preparedOnce, type Executor } from '../../db/client';
import { eventsOf, rowFromSnapshot, withEvents, type EventMeta, type LoggedChange } from '../../db/events';
import { coordinationSettings } from '../../../shared/schemas';
import { communeClaimCounts, communes, regionSettings, taskSearch, tasks, type TaskRow } from '../../db/schema';
import type { TaskCursor } from './task-cursor';
import { claimableSql, overdueSql } from './task-rules';

export type NewTaskRow = typeof tasks.$inferInsert;

const taskColumns = getTableColumns(tasks);
export type Changed = WithSubqueryWithSelection<typeof taskColumns, 'changed'>;

/**
 * The events of a change to tasks, written in the change's own statement (db/events.ts). The
 * snapshot is the row as PostgreSQL has it, without the citizen ciphertext (only whether there is some)
 * and without the tracking code's hash and seal (it goes to the whole region).
 */
function taskEvents(changed: Changed, meta: LoggedChange['meta'], type: 'task:created' | 'task:updated'): LoggedChange {
  return {
    subject: 'task',
    subjectId: changed.id,
    regionId: changed.regionId,
    type,
    toStatus: changed.status,
    snapshot: sql`(to_jsonb(${sql.identifier('changed')}) - 'citizen_ciphertext' - 'tracking_hash'
          - 'tracking_sealed')
          || jsonb_build_object('has_citizen_data', ${changed.citizenCiphertext} is not null)`,
    meta,
    drillId: changed.drillId,
  };
}

async function writeWithEvents(
  db: Executor,
  changed: Changed,
  meta: LoggedChange['meta'],
  type: 'task:created' | 'task:updated',
): Promise<TaskRow[]> {
  return withEvents<TaskRow>(db, changed, taskEvents(changed, meta, type));
}

/**
 * An UPDATE of tasks (`db.$with('changed').as(update.returning())`), run with one event per row it
 * changed; the meta may name the changed rows' columns (`changed.status`).
 */
export async function changeTasksWithEvents(
  db: Executor,
  changed: Changed,
  meta: LoggedChange['meta'],
): Promise<TaskRow[]> {
  return writeWithEvents(db, changed, meta, 'task:updated');
}

export async function insertTasks(db: Executor, values: NewTaskRow[], meta: EventMeta): Promise<TaskRow[]> {
  return writeWithEvents(db, db.$with('changed').as(db.insert(tasks).values(values).returning()), meta, 'task:created');
}

/** The search texts of tasks just posted (schema.ts, taskSearch). */
export async function insertSearchTexts(db: Executor, rows: { taskId: string; searchText: string }[]): Promise<void> {
  if (rows.length > 0) await db.insert(taskSearch).values(rows);
}

/**
 * A task as its event snapshot holds it; `citizenCiphertext` only says whether there is citizen data.
 * Snapshots written before migration 0012 carry no code.
 */
export function taskRowFromSnapshot(snapshot: unknown): TaskRow {
  const row = rowFromSnapshot(tasks, snapshot);
  row.citizenCiphertext = (snapshot as { has_citizen_data?: boolean }).has_citizen_data ? 'sealed' : null;
  row.code ??= '';
  row.escalationLevel ??= 0;
  return row as TaskRow;
}

const taskRead = preparedOnce((db) =>
  db
    .select()
    .from(tasks)
    .where(eq(tasks.id, sql`${sql.placeholder('id')}::uuid`))
    .prepare('entraide_read_task'),
);

export async function findTask(db: Executor, id: string): Promise<TaskRow | undefined> {
  const [row] = await taskRead(db).execute({ id });
  return row;
}

/** One clerk's claim on one task, as the claim statement takes it. */
export interface Claim {
  taskId: string;
  regionId: string;
  communeId: string;
  userId: string;
}

/**
 * The claims: one conditional UPDATE for a batch of them (ClaimBatcher gathers the claims that arrive
 * together). Whatever the number of simultaneous claims on a task, the row lock and the re-check of
 * `status = 'open'` let exactly one through; the others update nothing.
 * - `input` numbers the claims (n).
 * - `locked` locks every task the batch names, in one pass and in the order of their ids, and reads
 *   each as it is now: a locking read sees a row's latest committed version, not the one at the
 *   statement's start, so a task claimed by another statement while this one waited reads as claimed.
 *   Taking all of a statement's task locks at once and in one order means two statements wait for
 *   each other instead of deadlocking. NO KEY UPDATE is the lock the UPDATE takes anyway; unlike
 *   FOR UPDATE, it lets other transactions insert rows that refer to the task meanwhile.
 * - `counts` then locks and reads each claiming commune's row of `commune_claim_counts` (its active
 *   claims, kept by triggers on tasks, migration 0012), in commune order, as last committed: a claim
 *   statement of the same commune that committed while this one waited is counted. `capacity` adds
 *   the cap of the claimant's region.
 * - `firsts` keeps each commune's first claim of each task it may claim (the task is open, in the
 *   clerk's region and another commune posted it), ranked in the order of the batch; `allowed`, those
 *   within the commune's room (cap - active): so a commune's active claims plus the claims granted to
 *   it earlier in the batch never pass the cap.
 * - `candidate` keeps, per task, the first allowed claim: the one the UPDATE makes.
 * - `changed` is the UPDATE; `logged` writes each claimed task's event in the same statement.
 * - Every claim is answered from the same statement, so a lost claim costs no second round trip: a
 *   claim on a task this statement claimed for someone else gets that row, with the winner's name;
 *   the others get the task as `locked` read it, with its holder's name; each with whether the cap
 *   refused it, the cap, and the commune's active claims once the statement is done.
 */
function prepareClaims(db: Executor) {
  const p = (name: string) => sql.placeholder(name);
  // Drizzle names a CTE's computed columns without their table, so each CTE's names are its own.
  const input = db.$with('input').as(
    db
      .select({
        taskId: sql<string>`claim.task_id`.as('claim_task_id'),
        regionId: sql<string>`claim.region_id`.as('claim_region_id'),
        communeId: sql<string>`claim.commune_id`.as('claim_commune_id'),
        userId: sql<string>`claim.user_id`.as('claim_user_id'),
        n: sql<number>`claim.n::int`.as('claim_n'),
      })
      .from(
        sql`unnest(${p('taskIds')}::uuid[], ${p('regionIds')}::uuid[], ${p('communeIds')}::uuid[], ${p('userIds')}::uuid[])
      with ordinality as claim(task_id, region_id, commune_id, user_id, n)`,
      ),
  );
  const defaultCap = sql.raw(String(coordinationSettings.maxActiveClaimsPerCommune.default));
  const locked = db.$with('locked').as(
    db
      .select()
      .from(tasks)
      .where(sql`${tasks.id} = any(${p('taskIds')}::uuid[])`)
      .orderBy(tasks.id)
      .for('no key update'),
  );
  // An upsert that changes nothing but locks the row and returns its latest committed version, even
  // one committed after this statement began; its filter reads `locked`, so the task locks come first.
  const counts = db.$with('counts').as(
    db
      .insert(communeClaimCounts)
      .select(
        db
          .selectDistinct({
            communeId: sql<string>`${input.communeId}`.as('commune_id'),
            active: sql<number>`0`.as('active'),
          })
          .from(input)
          .where(sql`(select count(*) from ${locked}) >= 0`)
          .orderBy(input.communeId),
      )
      .onConflictDoUpdate({ target: communeClaimCounts.communeId, set: { active: sql`${communeClaimCounts.active}` } })
      .returning({ communeId: communeClaimCounts.communeId, active: communeClaimCounts.active }),
  );
  // Each claiming commune's active claims, and the cap of its region.
  const capacity = db.$with('capacity').as(
    db
      .selectDistinctOn([input.communeId], {
        communeId: sql<string>`${input.communeId}`.as('capacity_commune_id'),
        active: sql<number>`${counts.active}`.as('capacity_active'),
        cap: sql<number>`coalesce((select ${regionSettings.maxActiveClaimsPerCommune} from ${regionSettings}
          where ${regionSettings.regionId} = ${input.regionId}), ${defaultCap})`.as('capacity_cap'),
      })
      .from(input)
      .innerJoin(counts, eq(counts.communeId, input.communeId))
      .orderBy(input.communeId),
  );
  const firsts = db.$with('firsts').as(
    db
      .selectDistinctOn([input.communeId, input.taskId], {
        taskId: sql<string>`${input.taskId}`.as('first_task_id'),
        communeId: sql<string>`${input.communeId}`.as('first_commune_id'),
        userId: sql<string>`${input.userId}`.as('first_user_id'),
        n: sql<number>`${input.n}`.as('first_n'),
      })
      .from(input)
      .innerJoin(
        locked,
        and(
          eq(locked.id, input.taskId),
          claimableSql(locked, { regionId: input.regionId, communeId: input.communeId }),
        ),
      )
      .orderBy(input.communeId, input.taskId, input.n),
  );
  const ranked = db.$with('ranked').as(
    db
      .select({
        taskId: sql<string>`${firsts.taskId}`.as('ranked_task_id'),
        communeId: sql<string>`${firsts.communeId}`.as('ranked_commune_id'),
        userId: sql<string>`${firsts.userId}`.as('ranked_user_id'),
        n: sql<number>`${firsts.n}`.as('ranked_n'),
        allowed: sql<boolean>`row_number() over (partition by ${firsts.communeId} order by ${firsts.n})
          <= ${capacity.cap} - ${capacity.active}`.as('ranked_allowed'),
      })
      .from(firsts)
      .innerJoin(capacity, eq(capacity.communeId, firsts.communeId)),
  );
  const candidate = db.$with('candidate').as(
    db
      .selectDistinctOn([ranked.taskId], {
        taskId: sql<string>`${ranked.taskId}`.as('candidate_task_id'),
        communeId: sql<string>`${ranked.communeId}`.as('candidate_commune_id'),
        userId: sql<string>`${ranked.userId}`.as('candidate_user_id'),
        n: sql<number>`${ranked.n}`.as('candidate_n'),
      })
      .from(ranked)
      .where(sql`${ranked.allowed}`)
      .orderBy(ranked.taskId, ranked.n),
  );
  const update = db
    .update(tasks)
    .set({
      status: 'claimed',
      claimedByCommuneId: sql`${candidate.communeId}`,
      claimedByUserId: sql`${candidate.userId}`,
      claimedAt: sql`now()`,
      remindedAt: null,
      version: sql`${tasks.version} + 1`,
      updatedAt: sql`now()`,
    })
    .from(candidate)
    .where(and(eq(tasks.id, candidate.taskId), eq(tasks.status, 'open')))
    .returning(taskColumns);
  const changed = db.$with('changed').as(update);
  // The claimant is the actor: the claimed row names them.
  const meta = {
    action: 'claim',
    actorUserId: changed.claimedByUserId,
    actorCommuneId: changed.claimedByCommuneId,
    fromStatus: 'open',
    note: null,
  };
  const logged = eventsOf(db, changed, taskEvents(changed, meta, 'task:updated'));
  // What the cap said of each claim: refused or not, the cap, and the commune's active claims now.
  const verdict = db.$with('verdict').as(
    db
      .select({
        n: sql<number>`${input.n}`.as('verdict_n'),
        capped: sql<boolean>`coalesce(not ${ranked.allowed}, false)`.as('verdict_capped'),
        cap: sql<number>`${capacity.cap}`.as('verdict_cap'),
        active: sql<number>`(${capacity.active} + (select count(*) from ${changed}
          where ${changed.claimedByCommuneId} = ${input.communeId}))::int`.as('verdict_active'),
      })
      .from(input)
      .innerJoin(capacity, eq(capacity.communeId, input.communeId))
      .leftJoin(ranked, and(eq(ranked.communeId, input.communeId), eq(ranked.taskId, input.taskId))),
  );
  const holderOf = (communeId: AnyColumn) =>
    sql<string | null>`(select holder.name from ${communes} as holder where holder.id = ${communeId})`;
  const columnsOf = (source: object) =>
    Object.fromEntries(
      Object.keys(taskColumns).map((key) => [key, (source as Record<string, unknown>)[key]]),
    ) as unknown as typeof taskColumns;
  const won = sql<boolean>`${candidate.n} = ${input.n}`;
  const capping = { capped: verdict.capped, cap: verdict.cap, active: verdict.active };
  // In a CTE of its own: a data-modifying WITH must stay at the top, outside the union's parentheses.
  const answer = db.$with('answer').as(
    db
      .select({
        ...columnsOf(changed),
        n: sql<number>`${input.n}`.as('answer_n'),
        won: won.as('won'),
        holderName: sql<string | null>`case when ${won} then null else ${holderOf(changed.claimedByCommuneId)} end`.as(
          'holder_name',
        ),
        ...capping,
      })
      .from(input)
      .innerJoin(changed, eq(changed.id, input.taskId))
      .innerJoin(candidate, eq(candidate.taskId, input.taskId))
      .innerJoin(verdict, eq(verdict.n, input.n))
      .unionAll(
        db
          .select({
            ...columnsOf(locked),
            n: input.n,
            won: sql<boolean>`false`.as('won'),
            holderName: holderOf(locked.claimedByCommuneId).as('holder_name'),
            ...capping,
          })
          .from(input)
          .innerJoin(locked, eq(locked.id, input.taskId))
          .innerJoin(verdict, eq(verdict.n, input.n))
          .where(sql`not exists (select 1 from ${changed} where ${changed.id} = ${input.taskId})`),
      ),
  );
  return db
    .with(input, locked, counts, capacity, firsts, ranked, candidate, changed, logged, verdict, answer)
    .select()
    .from(answer)
    .prepare('entraide_claim_tasks');
}

// The claim is the hot path: its statement is built once per database and prepared on each connection.
const claimStatement = preparedOnce(prepareClaims);

/** Why the cap refused a claim: the region's cap and the commune's active claims. */
export interface CapVerdict {
  cap: number;
  active: number;
}

/**
 * What a claim found: the task it claimed, or the task as it is now and who holds it (with the
 * cap's verdict when the cap refused it).
 */
export type ClaimOutcome =
  | { won: true; task: TaskRow }
  | { won: false; task: TaskRow; holderName: string | null; capped?: CapVerdict }
  | undefined;

/**
 * The claims, in one statement (see prepareClaims): each claim's outcome, in the order given;
 * undefined where there is no such task. Two claims on one task in the same call race as two
 * simultaneous requests do: the first its clerk may make, within its commune's cap, wins.
 */
export async function claimOpenTasks(db: Executor, claims: readonly Claim[]): Promise<ClaimOutcome[]> {
  const rows = await claimStatement(db).execute({
    taskIds: claims.map((c) => c.taskId),
    regionIds: claims.map((c) => c.regionId),
    communeIds: claims.map((c) => c.communeId),
    userIds: claims.map((c) => c.userId),
  });
  const outcomes: ClaimOutcome[] = new Array<ClaimOutcome>(claims.length).fill(undefined);
  for (const { won, holderName, n, capped, cap, active, ...task } of rows) {
    outcomes[n - 1] = won
      ? { won: true, task }
      : { won: false, task, holderName, ...(capped ? { capped: { cap, active } } : {}) };
  }
  return outcomes;
}

/** Applies `set` only if the task is still at `version` and in one of `from`, with its event. */
export async function updateTaskIf(
  db: Executor,
  where: { taskId: string; version: number; from: readonly TaskStatus[] },
  set: Partial<Omit<NewTaskRow, 'id' | 'version'>>,
  meta: EventMeta,
): Promise<TaskRow | undefined> {
  const update = db
    .update(tasks)
    .set({ ...set, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
    .where(and(eq(tasks.id, where.taskId), eq(tasks.version, where.version), inArray(tasks.status, [...where.from])))
    .returning();
  const [row] = await writeWithEvents(db, db.$with('changed').as(update), meta, 'task:updated');
  return row;
}

/**
 * Which world a read sees: the real one (`null`, every task without a drill) or one drill's made-up
 * tasks. Every read of tasks that the real world sees goes through this one condition (docs/drills.md).
 */
export type TaskWorld = string | null;

export function taskWorld(world: TaskWorld): SQL {
  return world === null ? isNull(tasks.drillId) : eq(tasks.drillId, world);
}

/** The real world's tasks only: what every report, count, job and export reads. */
export const realTasks = (): SQL => taskWorld(null);

/** The same, for SQL written out with `tasks` (or `events`, which carry the same `drill_id`) under another name. */
export const realTasksAs = (alias: string): SQL => sql`${sql.identifier(alias)}.drill_id is null`;

export interface TaskFilter {
  regionId: string;
  /** The real board (null) or a drill's (its id). */
  world: TaskWorld;
  statuses?: TaskStatus[];
  type?: string;
  requestingCommuneId?: string;
  claimedByCommuneId?: string;
  priority?: Priority;
  overdue?: boolean;
  /** What `search_text` must contain, folded already (shared/task-search.ts `searchNeedle`). */
  needle?: string;
  /** The moment "overdue" is judged at. */
  now: Date;
}

/** The board's filters, every one in SQL. */
function filterConditions(f: Omit<TaskFilter, 'statuses'>): (SQL | undefined)[] {
  const overdue = overdueSql(tasks, sql`${f.now.toISOString()}::timestamptz`);
  return [
    eq(tasks.regionId, f.regionId),
    taskWorld(f.world),
    f.type ? eq(tasks.type, f.type) : undefined,
    f.requestingCommuneId ? eq(tasks.requestingCommuneId, f.requestingCommuneId) : undefined,
    f.claimedByCommuneId ? eq(tasks.claimedByCommuneId, f.claimedByCommuneId) : undefined,
    f.priority ? eq(tasks.priority, f.priority) : undefined,
    f.overdue === undefined ? undefined : f.overdue ? overdue : sql`not ${overdue}`,
    // The trigram index (task_search_idx) serves LIKE '%…%'.
    f.needle
      ? sql`${tasks.id} in (select ${taskSearch.taskId} from ${taskSearch}
          where ${like(taskSearch.searchText, `%${escapeLike(f.needle)}%`)})`
      : undefined,
  ];
}

/**
 * The board's orders as index keys: each has an index per status (schema.ts), and the cursor holds
 * its key. The time is read back to the microsecond, so that the next page starts exactly after it.
 */
const orders = {
  due: { at: tasks.dueAt, rank: false, descending: false },
  priority: { at: tasks.dueAt, rank: true, descending: false },
  created: { at: tasks.createdAt, rank: false, descending: true },
} as const;

export type TaskListRow = TaskRow & { cursorAt: string };

export type TaskListFilter = TaskFilter & { sort: TaskSort; after?: TaskCursor; limit: number };

/** A page of the tasks the filter selects, in the order asked, after the cursor's row. */
export function listTasks(db: Executor, f: TaskListFilter): Promise<TaskListRow[]> {
  return taskListQuery(db, f).execute();
}

/** The statement of `listTasks`, which the board test EXPLAINs. */
export function taskListQuery(db: Executor, f: TaskListFilter) {
  const order = orders[f.sort];
  const key = order.rank ? sql`(${tasks.priorityRank}, ${order.at}, ${tasks.id})` : sql`(${order.at}, ${tasks.id})`;
  const after = f.after
    ? order.rank
      ? sql`(${f.after.rank}::smallint, ${f.after.at}::timestamptz, ${f.after.id}::uuid)`
      : sql`(${f.after.at}::timestamptz, ${f.after.id}::uuid)`
    : undefined;
  const direction = order.descending ? desc : asc;
  return db
    .select({
      ...taskColumns,
      cursorAt: sql<string>`to_char(${order.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(tasks)
    .where(
      and(
        ...filterConditions(f),
        f.statuses ? inArray(tasks.status, f.statuses) : undefined,
        after ? (order.descending ? sql`${key} < ${after}` : sql`${key} > ${after}`) : undefined,
      ),
    )
    .orderBy(...(order.rank ? [direction(tasks.priorityRank)] : []), direction(order.at), direction(tasks.id))
    .limit(f.limit);
}

/** Exact counts by status of the tasks the filter selects, and how many of them are overdue: one statement. */
export async function countTasks(db: Executor, f: Omit<TaskFilter, 'statuses'>): Promise<TaskCounts> {
  const [row] = await taskCountsQuery(db, f);
  return row ?? { open: 0, claimed: 0, in_progress: 0, waiting_info: 0, done: 0, cancelled: 0, overdue: 0 };
}

/** The statement of `countTasks`, which the board test EXPLAINs. */
export function taskCountsQuery(db: Executor, f: Omit<TaskFilter, 'statuses'>) {
  const n = (condition: SQL) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const status = (value: string) => n(sql`${tasks.status} = ${value}`);
  return db
    .select({
      open: status('open'),
      claimed: status('claimed'),
      in_progress: status('in_progress'),
      waiting_info: status('waiting_info'),
      done: status('done'),
      cancelled: status('cancelled'),
      overdue: n(overdueSql(tasks, sql`${f.now.toISOString()}::timestamptz`)),
    })
    .from(tasks)
    .where(and(...filterConditions(f)));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Which of these codes (as `taskCodeKey` writes them) some task holds already. */
export async function takenTaskCodes(db: Executor, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .select({ code: tasks.code })
    .from(tasks)
    .where(sql`replace(${tasks.code}, 'L', 'I') = any(${sql.param(keys)}::text[])`);
  return rows.map((r) => r.code);
}

/** The task with this code, read as codes are told apart (I and L alike). */
export async function findTaskByCode(db: Executor, code: string): Promise<TaskRow | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(sql`replace(${tasks.code}, 'L', 'I') = replace(${code}, 'L', 'I')`, realTasks()));
  return row;
}

export async function findTasksByIds(db: Executor, ids: string[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  // One array parameter rather than one per id: a batch holds up to 1000, and building a statement
  // with a thousand parameters cost more than running it.
  return db
    .select()
    .from(tasks)
    .where(sql`${tasks.id} = any(${sql.param(ids)}::uuid[])`);
}
