import crypto from 'node:crypto';
import type { FieldError, Task, TaskCreate } from '../../../shared/schemas';
import { actorUserId, type Actor } from '../../core/actor';
import { ConflictError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { sealCitizen } from '../../crypto/citizen-data';
import { newTrackingCode, openTrackingCode, sealTrackingCode, trackingHash } from '../../crypto/tracking-code';
import { transaction } from '../../db/client';
import { eventMeta } from '../../db/events';
import { groupTrackingCode } from '../../../shared/schemas';
import { listTaskTypes } from '../task-types/task-types-repo';
import { communePrefix } from '../communes/communes-repo';
import { taskSearchText } from '../../../shared/task-search';
import { freshTaskCodes } from './task-codes';
import { postingScope } from './task-posting-scope';
import { presentTask } from './tasks-presenter';
import { findTasksByIds, insertSearchTexts, insertTasks, type NewTaskRow } from './tasks-repo';
import { msg } from '../../core/messages';

export { onlyManagersPost } from './task-posting-scope';

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
 * Posts tasks for the actor's commune, or for a commune in incident when the region's coordinator posts
 * on its behalf (task-posting-scope.ts): every row is checked first, then all are written in one
 * transaction or none is. A row whose client-chosen id already exists for that commune is a retry and
 * returns the stored task, so a post repeated over a bad connection never creates a duplicate. A task
 * with a citizen gets a tracking code for the citizen's receipt, in the answer to whoever posted it.
 */
export async function createTasks(
  ctx: DomainContext,
  actor: Actor,
  rows: PostingRow[],
  options: { batch?: boolean; dryRun?: boolean; priorErrors?: FieldError[] } = {},
): Promise<PostingResult> {
  const scope = await postingScope(ctx, actor, rows);
  const types = await listTaskTypes(ctx.db);
  const sla = new Map(types.map((t) => [t.key, t.slaHours]));
  const categories = new Map(types.map((t) => [t.key, t.category]));
  const errors: FieldError[] = [...(options.priorErrors ?? []), ...scope.errors];
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
    errors.push(...slotErrors(row, input, categories.get(input.type)));
    const communeId = scope.communeOf.get(row)?.id;
    if (input.incidentId && communeId && !scope.openIncidents.get(communeId)?.includes(input.incidentId)) {
      errors.push({
        row,
        field: 'incidentId',
        message: 'must be an open incident of the requesting commune',
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
    if (found && found.requestingCommuneId !== scope.communeOf.get(row)?.id)
      errors.push({ row, field: 'id', message: 'is already used by another task', code: 'duplicate_id' });
    // A retry of a post that was accepted answers as it did, even once its slot has begun.
    if (!found && input.slot && Date.parse(input.slot.start) < ctx.clock.now().getTime())
      errors.push({ row, field: 'slot.start', message: 'must not be in the past', code: 'slot_in_past' });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new ValidationError(
      !options.batch
        ? msg('task_not_posted')
        : msg('batch_not_posted', { rows: new Set(errors.map((e) => e.row)).size }),
      errors,
    );
  }
  if (options.dryRun) return { created: false, items: rows.map(({ row }) => ({ row })) };

  const ids = rows.map(({ input }) => input.id ?? crypto.randomUUID());
  const labels = new Map(types.map((t) => [t.key, { fr: t.labelFr, en: t.labelEn }]));
  const codes = new Map<string, string>();
  const values: Omit<NewTaskRow, 'code'>[] = rows.flatMap(({ row, input }, i) => {
    const id = ids[i] as string;
    const commune = scope.communeOf.get(row);
    if (existing.has(id) || !commune) return [];
    const onBehalf = commune.id !== actor.communeId;
    const code = input.citizen ? newTrackingCode() : undefined;
    if (code) codes.set(id, code);
    return [
      {
        id,
        requestingCommuneId: commune.id,
        regionId: commune.regionId,
        // On behalf of a commune in incident, a task goes with its incident unless another is named.
        incidentId: input.incidentId ?? (onBehalf ? (scope.openIncidents.get(commune.id)?.[0] ?? null) : null),
        type: input.type,
        title: input.title,
        details: input.details,
        priority: input.priority,
        dueAt: dueAtOf(input, now, sla.get(input.type) ?? 48),
        deliveryMode: input.deliveryMode,
        citizenCiphertext: input.citizen ? sealCitizen(ctx.dataKey, id, input.citizen) : null,
        createdBy: actorUserId(actor),
        onBehalf,
        postedByTokenId: actor.integration?.tokenId ?? null,
        trackingHash: code ? trackingHash(ctx.dataKey, code) : null,
        trackingSealed: code ? sealTrackingCode(ctx.dataKey, id, code) : null,
        slotStart: input.slot ? new Date(input.slot.start) : null,
        slotMinutes: input.slot?.durationMinutes ?? null,
        slotPlace: input.slot?.place ?? null,
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
      if (!task) return { row };
      // Whoever posts the task hands the citizen the code: it is in the answer, a retry's included.
      const code =
        codes.get(task.id) ?? (task.trackingSealed && openTrackingCode(ctx.dataKey, task.id, task.trackingSealed));
      return { row, task: { ...presentTask(actor, task), ...(code ? { trackingCode: groupTrackingCode(code) } : {}) } };
    }),
  };
}

/**
 * An appointment-type task carries its slot; no other type takes one. (Whether the slot is still ahead
 * is checked with the existing rows, so that a retried post answers as the first one did.)
 */
function slotErrors(row: number, input: TaskCreate, category: string | undefined): FieldError[] {
  if (category === 'appointment' && !input.slot)
    return [
      {
        row,
        field: 'slot',
        message: 'is required for an appointment: its start, length and place',
        code: 'slot_required',
      },
    ];
  if (category !== undefined && category !== 'appointment' && input.slot)
    return [{ row, field: 'slot', message: 'is only taken for an appointment type', code: 'slot_not_allowed' }];
  return [];
}

/** Due when asked; otherwise an appointment is due when its slot ends, any other task after its type's SLA. */
function dueAtOf(input: TaskCreate, now: number, slaHours: number): Date {
  if (input.dueAt) return new Date(input.dueAt);
  if (input.slot) return new Date(Date.parse(input.slot.start) + input.slot.durationMinutes * 60_000);
  return new Date(now + slaHours * 3_600_000);
}

type PgError = { code?: string; constraint?: string; cause?: PgError } | null;

/** The unique index a statement ran into, if that is how it failed. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as PgError;
  if (e?.code === '23505') return e.constraint ?? '';
  if (e?.cause?.code === '23505') return e.cause.constraint ?? '';
  return undefined;
}

/** Fresh task codes for the values, each with its requesting commune's prefix (a coordinator's post may name several). */
export async function codesFor(ctx: DomainContext, values: Omit<NewTaskRow, 'code'>[]): Promise<string[]> {
  const byCommune = new Map<string, number[]>();
  values.forEach((v, i) => byCommune.set(v.requestingCommuneId, [...(byCommune.get(v.requestingCommuneId) ?? []), i]));
  const codes: string[] = [];
  for (const [communeId, indexes] of byCommune) {
    const prefix = await communePrefix(ctx.db, communeId);
    if (!prefix) throw new Error(`commune ${communeId} has no task code prefix`);
    const fresh = await freshTaskCodes(ctx.db, prefix, indexes.length);
    indexes.forEach((index, k) => (codes[index] = fresh[k] ?? ''));
  }
  return codes;
}

/**
 * Writes the tasks with a fresh code each and their search text. A code drawn at the same moment by
 * another post breaks the unique index: the statement changed nothing, so it runs again with new codes.
 */
async function insertWithCodes(
  ctx: DomainContext,
  actor: Actor,
  values: Omit<NewTaskRow, 'code'>[],
  labels: Map<string, { fr: string; en: string }>,
) {
  if (values.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    const codes = await codesFor(ctx, values);
    const rows: NewTaskRow[] = values.map((v, i) => ({ ...v, code: codes[i] ?? '' }));
    try {
      return await transaction(ctx.db, async (tx) => {
        const inserted = await insertTasks(tx, rows, eventMeta(actor, 'create', null, null));
        await insertSearchTexts(
          tx,
          inserted.map((t) => ({
            taskId: t.id,
            searchText: taskSearchText(t, labels.get(t.type)),
          })),
        );
        return inserted;
      });
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === 'tasks_code_key' && attempt < 3) continue;
      // Two retries of the same post racing each other: the second one finds the id taken.
      if (index !== undefined) throw new ConflictError(msg('duplicate_post'), 'duplicate_post');
      throw err;
    }
  }
}
