import { and, desc, eq, sql } from 'drizzle-orm';
import type { CoordinationSetting } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { auditLog, regionSettings, users } from '../../db/schema';

/** A region's own coordination settings: null where it keeps the platform's default. */
export type OwnCoordinationSettings = Record<CoordinationSetting, number | null>;

const coordinationColumns = {
  maxActiveClaimsPerCommune: regionSettings.maxActiveClaimsPerCommune,
  transferTimeoutMinutes: regionSettings.transferTimeoutMinutes,
  staleClaimHours: regionSettings.staleClaimHours,
  remindAfterHours: regionSettings.remindAfterHours,
};

const none: OwnCoordinationSettings = {
  maxActiveClaimsPerCommune: null,
  transferTimeoutMinutes: null,
  staleClaimHours: null,
  remindAfterHours: null,
};

export async function findCoordinationSettings(db: Executor, regionId: string): Promise<OwnCoordinationSettings> {
  const [row] = await db.select(coordinationColumns).from(regionSettings).where(eq(regionSettings.regionId, regionId));
  return row ?? none;
}

/** The region's settings row, locked for a change (created empty first if the region had none). */
export async function lockCoordinationSettings(tx: Executor, regionId: string): Promise<OwnCoordinationSettings> {
  await tx.insert(regionSettings).values({ regionId }).onConflictDoNothing();
  const [row] = await tx
    .select(coordinationColumns)
    .from(regionSettings)
    .where(eq(regionSettings.regionId, regionId))
    .for('update');
  return row ?? none;
}

export async function setCoordinationSettings(
  tx: Executor,
  regionId: string,
  values: Partial<OwnCoordinationSettings>,
  by: string,
): Promise<void> {
  await tx
    .update(regionSettings)
    .set({ ...values, updatedBy: by, updatedAt: sql`now()` })
    .where(eq(regionSettings.regionId, regionId));
}

/** The audit entries of the region's coordination changes, the latest first, with who made them. */
export async function coordinationChanges(db: Executor, regionId: string, limit: number) {
  return db
    .select({ at: auditLog.at, byUserId: auditLog.actorUserId, byName: users.displayName, detail: auditLog.detail })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        eq(auditLog.regionId, regionId),
        eq(auditLog.kind, 'settings_changed'),
        sql`${auditLog.detail} ->> 'area' = 'coordination'`,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}
