import type { Commune, Incident, User } from '../../shared/schemas';
import type { Actor } from '../domain/actor';
import type { CommuneRow, IncidentRow } from '../db/schema';

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

export function presentCommune(row: CommuneRow): Commune {
  return {
    id: row.id, name: row.name, code: row.code, regionId: row.regionId,
    latitude: row.latitude, longitude: row.longitude, status: row.status,
  };
}

export function presentUser(actor: Actor): User {
  return {
    id: actor.id, username: actor.username, displayName: actor.displayName, role: actor.role, active: actor.active,
    communeId: actor.communeId, communeName: actor.communeName, regionId: actor.regionId, regionName: actor.regionName,
  };
}
