import crypto from 'node:crypto';
import type { FieldError, Task, TaskCreate } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { sealCitizen } from '../../crypto/citizen-data';
import { eventMeta } from '../../db/events';
import { listIncidents } from '../incidents/incidents-repo';
import { listTaskTypes } from '../task-types/task-types-repo';
import { communePrefix } from '../communes/communes-repo';
import { taskSearchText } from '../../../shared/task-search';
import { freshTaskCodes } from './task-codes';
import { canPostTasks, type CommuneActor } from './tasks-policy';
import { presentTask } from './tasks-presenter';
import { findTasksByIds, insertTasks, type NewTaskRow } from './tasks-repo';

export const onlyManagersPost = "Only a commune's manager can post tasks.";

export interface PostingRow {
  /** Where the row came from, as the user counts: the CSV line, or the position in the array. */
  row: number;
  input: TaskCreate;
}

export interface PostingResult {
  /** False when every task already existed: a retried post that changed nothing. */
  created: boolean;
  items: { row: number; task?: Task }[];
}

/**
 * Posts tasks for the actor's commune: every row is checked first, then all are written in one
 * transaction or none is. A row whose client-chosen id already exists for this commune is a retry
 * and returns the stored task, so a post repeated over a bad connection never creates a duplicate.
 */
export async function createTasks(
  ctx: DomainContext,
  actor: Actor,
  rows: PostingRow[],
  options: { batch?: boolean; dryRun?: boolean; priorErrors?: FieldError[] } = {},
): Promise<PostingResult> {
  if (!canPostTasks(actor)) throw new ForbiddenError(onlyManagersPost);
  const { communeId, regionId } = actor;
  const [types, openIncidents] = await Promise.all([listTaskTypes(ctx.db), listIncidents(ctx.db, { communeId })]);
  const sla = new Map(types.map((t) => [t.key, t.slaHours]));
  const incidentIds = new Set(openIncidents.filter((i) => i.status !== 'closed').map((i) => i.id));
  const errors: FieldError[] = [...(options.priorErrors ?? [])];
  const now = Date.now();
  const seen = new Set<string>();
  for (const { row, input } of rows) {
    if (!sla.has(input.type))
      errors.push({
        row,
        field: 'type',
        message: `is not a known task type (${input.type})`,
        code: 'unknown_task_type',
        params: { type: input.type },
      });
    if (input.incidentId && !incidentIds.has(input.incidentId)) {
      errors.push({
        row,
        field: 'incidentId',
        message: 'must be an open incident of your commune',
        code: 'incident_not_open',
      });
    }
    if (input.id) {
      if (seen.has(input.id))
        errors.push({ row, field: 'id', message: 'is used by another row', code: 'duplicate_id' });
      seen.add(input.id);
    }
  }
  const existing = new Map((await findTasksByIds(ctx.db, [...seen])).map((t) => [t.id, t]));
  for (const { row, input } of rows) {
    const found = input.id ? existing.get(input.id) : undefined;
    if (found && found.requestingCommuneId !== communeId)
      errors.push({ row, field: 'id', message: 'is already used by another task', code: 'duplicate_id' });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new ValidationError(
      !options.batch
        ? 'The task was not posted: please correct the fields listed.'
        : `No task was posted: ${new Set(errors.map((e) => e.row)).size} row(s) need correcting.`,
      errors,
    );
  }
  if (options.dryRun) return { created: false, items: rows.map(({ row }) => ({ row })) };

  const ids = rows.map(({ input }) => input.id ?? crypto.randomUUID());
  const labels = new Map(types.map((t) => [t.key, { fr: t.labelFr, en: t.labelEn }]));
  const values: Omit<NewTaskRow, 'code' | 'searchText'>[] = rows.flatMap(({ input }, i) => {
    const id = ids[i] as string;
    if (existing.has(id)) return [];
    return [
      {
        id,
        requestingCommuneId: communeId,
        regionId,
        incidentId: input.incidentId ?? null,
        type: input.type,
        title: input.title,
        details: input.details,
        priority: input.priority,
        dueAt: input.dueAt ? new Date(input.dueAt) : new Date(now + (sla.get(input.type) ?? 48) * 3_600_000),
        deliveryMode: input.deliveryMode,
        citizenCiphertext: input.citizen ? sealCitizen(ctx.dataKey, id, input.citizen) : null,
        createdBy: actor.id,
      },
    ];
  });
  const inserted = await insertWithCodes(ctx, actor, values, labels);
  if (inserted.length > 0) ctx.sequencer.kick();
  const byId = new Map([...existing.values(), ...inserted].map((t) => [t.id, t]));
  return {
    created: inserted.length > 0,
    items: rows.map(({ row }, i) => {
      const task = byId.get(ids[i] as string);
      return { row, task: task ? presentTask(actor, task) : undefined };
    }),
  };
}

type PgError = { code?: string; constraint?: string; cause?: PgError } | null;

/** The unique index a statement ran into, if that is how it failed. */
function uniqueViolation(err: unknown): string | undefined {
  const e = err as PgError;
  if (e?.code === '23505') return e.constraint ?? '';
  if (e?.cause?.code === '23505') return e.cause.constraint ?? '';
  return undefined;
}

/**
 * Writes the tasks with a fresh code each and their search text. A code drawn at the same moment by
 * another post breaks the unique index: the statement changed nothing, so it runs again with new codes.
 */
async function insertWithCodes(
  ctx: DomainContext,
  actor: CommuneActor,
  values: Omit<NewTaskRow, 'code' | 'searchText'>[],
  labels: Map<string, { fr: string; en: string }>,
) {
  if (values.length === 0) return [];
  const prefix = await communePrefix(ctx.db, actor.communeId);
  if (!prefix) throw new Error(`commune ${actor.communeId} has no task code prefix`);
  for (let attempt = 1; ; attempt++) {
    const codes = await freshTaskCodes(ctx.db, prefix, values.length);
    const rows: NewTaskRow[] = values.map((v, i) => {
      const code = codes[i] ?? '';
      return { ...v, code, searchText: taskSearchText({ ...v, details: v.details ?? '', code }, labels.get(v.type)) };
    });
    try {
      return await insertTasks(ctx.db, rows, eventMeta(actor, 'create', null, null));
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === 'tasks_code_key' && attempt < 3) continue;
      // Two retries of the same post racing each other: the second one finds the id taken.
      if (index !== undefined)
        throw new ConflictError('This task is being posted already; reload to see it.', 'duplicate_post');
      throw err;
    }
  }
}
