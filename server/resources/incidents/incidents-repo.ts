import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import type { IncidentStatus } from '../../../shared/schemas';
import type { Executor } from '../../db/client';
import { rowFromSnapshot, withEvents, type EventMeta, type LoggedChange } from '../../db/events';
import { communes, incidents, type IncidentRow } from '../../db/schema';

export type IncidentWithRegion = IncidentRow & { regionId: string };

const incidentColumns = getTableColumns(incidents);
const withRegion = { ...incidentColumns, regionId: communes.regionId };
type Changed = WithSubqueryWithSelection<typeof incidentColumns, 'changed'>;

/**
 * An incident's events, written in the change's own statement (db/events.ts): the region is its
 * commune's, the snapshot the row as PostgreSQL has it.
 */
function incidentEvents(changed: Changed, meta: EventMeta): LoggedChange {
  return {
    subject: 'incident',
    subjectId: changed.id,
    regionId: sql`(select ${communes.regionId} from ${communes} where ${communes.id} = ${changed.communeId})`,
    type: 'incident:updated',
    toStatus: changed.status,
    snapshot: sql`to_jsonb(${sql.identifier('changed')})`,
    meta,
  };
}

/**
 * An incident as an event's snapshot holds it. The first events (before incidents were written as
 * tasks are) hold the incident as the API presents it; they are left as they are, since their hashes
 * cover them.
 */
export function incidentRowFromSnapshot(snapshot: unknown): IncidentRow {
  const json = snapshot as Record<string, unknown>;
  if ('communeId' in json) {
    return {
      ...(json as Omit<IncidentRow, 'openedAt' | 'closedAt' | 'openedBy'>),
      openedBy: null,
      openedAt: new Date(json.openedAt as string),
      closedAt: json.closedAt ? new Date(json.closedAt as string) : null,
    };
  }
  return rowFromSnapshot(incidents, snapshot) as IncidentRow;
}

/** Declares an incident with its event; none when the commune has an open one already. */
export async function insertIncident(
  db: Executor,
  values: typeof incidents.$inferInsert,
  meta: EventMeta,
): Promise<IncidentRow | undefined> {
  // The partial unique index turns a second open incident of the same commune into no row, and so no event.
  const changed = db.$with('changed').as(db.insert(incidents).values(values).onConflictDoNothing().returning());
  const [row] = await withEvents<IncidentRow>(db, changed, incidentEvents(changed, meta));
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

/** Applies `set`, with its event, only if the incident is still at `version` and not closed. */
export async function updateIncidentIf(
  db: Executor,
  where: { id: string; version: number },
  set: Partial<Pick<IncidentRow, 'status' | 'title' | 'affectedServices' | 'closedAt'>>,
  meta: EventMeta,
): Promise<IncidentRow | undefined> {
  const update = db
    .update(incidents)
    .set({ ...set, version: sql`${incidents.version} + 1` })
    .where(and(eq(incidents.id, where.id), eq(incidents.version, where.version), sql`${incidents.status} <> 'closed'`))
    .returning();
  const changed = db.$with('changed').as(update);
  const [row] = await withEvents<IncidentRow>(db, changed, incidentEvents(changed, meta));
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
