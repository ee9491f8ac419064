import { and, desc, eq, sql } from 'drizzle-orm';
import type { IncidentStatus } from '../../shared/schemas';
import type { Executor } from './client';
import { communes, incidents, type IncidentRow } from './schema';

export type IncidentWithRegion = IncidentRow & { regionId: string };

const withRegion = { ...incidentColumns(), regionId: communes.regionId };
function incidentColumns() {
  return {
    id: incidents.id,
    communeId: incidents.communeId,
    kind: incidents.kind,
    title: incidents.title,
    affectedServices: incidents.affectedServices,
    status: incidents.status,
    openedBy: incidents.openedBy,
    openedAt: incidents.openedAt,
    closedAt: incidents.closedAt,
    version: incidents.version,
  };
}

export async function insertIncident(
  db: Executor,
  values: typeof incidents.$inferInsert,
): Promise<IncidentRow | undefined> {
  // The partial unique index turns a second open incident of the same commune into no row.
  const [row] = await db.insert(incidents).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findIncident(db: Executor, id: string): Promise<IncidentWithRegion | undefined> {
  const [row] = await db
    .select(withRegion)
    .from(incidents)
    .innerJoin(communes, eq(communes.id, incidents.communeId))
    .where(eq(incidents.id, id));
  return row;
}

export async function updateIncidentIf(
  db: Executor,
  where: { id: string; version: number },
  set: Partial<Pick<IncidentRow, 'status' | 'title' | 'affectedServices' | 'closedAt'>>,
): Promise<IncidentRow | undefined> {
  const [row] = await db
    .update(incidents)
    .set({ ...set, version: sql`${incidents.version} + 1` })
    .where(and(eq(incidents.id, where.id), eq(incidents.version, where.version), sql`${incidents.status} <> 'closed'`))
    .returning();
  return row;
}

export async function listIncidents(
  db: Executor,
  f: { regionId?: string; communeId?: string; status?: IncidentStatus },
) {
  return db
    .select(withRegion)
    .from(incidents)
    .innerJoin(communes, eq(communes.id, incidents.communeId))
    .where(
      and(
        f.regionId ? eq(communes.regionId, f.regionId) : undefined,
        f.communeId ? eq(incidents.communeId, f.communeId) : undefined,
        f.status ? eq(incidents.status, f.status) : undefined,
      ),
    )
    .orderBy(desc(incidents.openedAt))
    .limit(200);
}
