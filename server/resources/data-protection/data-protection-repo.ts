import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { eventsOf, type LoggedChange } from '../../db/events';
import { auditLog, regionLegalBases, regionSettings, tasks, taskTypes } from '../../db/schema';

export async function findRegionSettings(db: Executor, regionId: string) {
  const [row] = await db.select().from(regionSettings).where(eq(regionSettings.regionId, regionId));
  return row;
}

export async function setRetentionDays(db: Executor, regionId: string, days: number | null, by: string) {
  await db
    .insert(regionSettings)
    .values({ regionId, citizenRetentionDays: days, updatedBy: by })
    .onConflictDoUpdate({
      target: regionSettings.regionId,
      set: { citizenRetentionDays: days, updatedBy: by, updatedAt: sql`now()` },
    });
}

/** Every task type with its legal basis as the region words it: its own, or the platform's. */
export async function legalBasesOfRegion(db: Executor, regionId: string) {
  return db
    .select({
      taskType: taskTypes.key,
      labelFr: taskTypes.labelFr,
      labelEn: taskTypes.labelEn,
      fr: sql<string>`coalesce(${regionLegalBases.legalBasisFr}, ${taskTypes.legalBasisFr})`,
      en: sql<string>`coalesce(${regionLegalBases.legalBasisEn}, ${taskTypes.legalBasisEn})`,
      regional: sql<boolean>`${regionLegalBases.taskType} is not null`,
    })
    .from(taskTypes)
    .leftJoin(
      regionLegalBases,
      and(eq(regionLegalBases.taskType, taskTypes.key), eq(regionLegalBases.regionId, regionId)),
    )
    .orderBy(asc(taskTypes.key));
}

/** The legal basis shown beside a task's citizen data. */
export async function legalBasisOf(db: Executor, regionId: string, taskType: string) {
  const [row] = await db
    .select({
      fr: sql<string>`coalesce(${regionLegalBases.legalBasisFr}, ${taskTypes.legalBasisFr})`,
      en: sql<string>`coalesce(${regionLegalBases.legalBasisEn}, ${taskTypes.legalBasisEn})`,
    })
    .from(taskTypes)
    .leftJoin(
      regionLegalBases,
      and(eq(regionLegalBases.taskType, taskTypes.key), eq(regionLegalBases.regionId, regionId)),
    )
    .where(eq(taskTypes.key, taskType));
  return row;
}

export async function knownTaskTypes(db: Executor, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ key: taskTypes.key }).from(taskTypes).where(inArray(taskTypes.key, keys));
  return new Set(rows.map((r) => r.key));
}

export async function setRegionalLegalBasis(
  db: Executor,
  basis: { regionId: string; taskType: string; fr: string; en: string; by: string },
) {
  const values = { legalBasisFr: basis.fr, legalBasisEn: basis.en, updatedBy: basis.by };
  await db
    .insert(regionLegalBases)
    .values({ regionId: basis.regionId, taskType: basis.taskType, ...values })
    .onConflictDoUpdate({
      target: [regionLegalBases.regionId, regionLegalBases.taskType],
      set: { ...values, updatedAt: sql`now()` },
    });
}

export async function dropRegionalLegalBasis(db: Executor, regionId: string, taskType: string) {
  await db
    .delete(regionLegalBases)
    .where(and(eq(regionLegalBases.regionId, regionId), eq(regionLegalBases.taskType, taskType)));
}

/**
 * Erases the citizen data of tasks done or cancelled more than their region's retention ago (as of
 * `now`), at most `batch` of them: each task keeps its row and history, and gets an `erase_citizen`
 * event (by nobody: the system) and an audit entry, in the same statement.
 */
export async function eraseExpiredCitizenData(
  db: Executor,
  now: Date,
  defaultDays: number,
  batch = 1000,
): Promise<number> {
  const due = db.$with('due').as(
    db
      .select({ id: tasks.id })
      .from(tasks)
      .leftJoin(regionSettings, eq(regionSettings.regionId, tasks.regionId))
      .where(
        sql`${tasks.citizenCiphertext} is not null and ${tasks.status} in ('done', 'cancelled')
          and ${tasks.updatedAt} < ${now}::timestamptz
            - make_interval(days => coalesce(${regionSettings.citizenRetentionDays}, ${defaultDays}::int))`,
      )
      .orderBy(asc(tasks.updatedAt))
      .limit(batch),
  );
  const changed = db.$with('changed').as(
    db
      .update(tasks)
      .set({
        citizenCiphertext: null,
        // The tracking code goes with the citizen: nothing links a receipt to the task any more.
        trackingHash: null,
        trackingSealed: null,
        citizenErasedAt: now,
        version: sql`${tasks.version} + 1`,
        updatedAt: now,
      })
      .where(sql`${tasks.id} in (select ${due.id} from ${due})`)
      .returning(),
  );
  const logged: LoggedChange = {
    subject: 'task',
    subjectId: changed.id,
    regionId: changed.regionId,
    type: 'task:updated',
    toStatus: changed.status,
    snapshot: sql`(to_jsonb(${sql.identifier('changed')}) - 'citizen_ciphertext' - 'tracking_hash' - 'tracking_sealed')
      || jsonb_build_object('has_citizen_data', false)`,
    meta: { action: 'erase_citizen', actorUserId: null, actorCommuneId: null, fromStatus: changed.status, note: null },
  };
  const audited = db.$with('audited').as(
    db
      .insert(auditLog)
      .select(
        db
          .select({
            id: sql<number>`nextval('audit_log_id_seq')`.as('id'),
            seq: sql<null>`null::bigint`.as('seq'),
            regionId: sql<string>`${changed.regionId}`.as('region_id'),
            kind: sql<string>`'citizen_erased'`.as('kind'),
            actorUserId: sql<null>`null::uuid`.as('actor_user_id'),
            actorCommuneId: sql<null>`null::uuid`.as('actor_commune_id'),
            subjectUserId: sql<null>`null::uuid`.as('subject_user_id'),
            taskId: sql<string>`${changed.id}`.as('task_id'),
            detail: sql`jsonb_build_object('reason', 'retention')`.as('detail'),
            at: sql<Date>`now()`.as('at'),
            prevHash: sql<null>`null::text`.as('prev_hash'),
            hash: sql<null>`null::text`.as('hash'),
          })
          .from(changed),
      )
      .returning({ id: auditLog.id }),
  );
  const rows = await db
    .with(due, changed, eventsOf(db, changed, logged), audited)
    .select({ id: changed.id })
    .from(changed);
  return rows.length;
}
