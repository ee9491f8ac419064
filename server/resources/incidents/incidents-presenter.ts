import type { Incident } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import type { IncidentRow } from '../../db/schema';
import { incidentAbilities } from './incidents-policy';

/** An incident as everyone in its region sees it: the live board's events carry this. */
export function presentIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    communeId: row.communeId,
    kind: row.kind,
    title: row.title,
    affectedServices: row.affectedServices as Incident['affectedServices'],
    status: row.status,
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
    version: row.version,
  };
}

/** An incident in a REST answer: with what `actor` may do with it now. */
export function presentIncidentFor(actor: Actor, row: IncidentRow, regionId: string): Incident {
  return {
    ...presentIncident(row),
    abilities: incidentAbilities(actor, { communeId: row.communeId, regionId, status: row.status }),
  };
}
