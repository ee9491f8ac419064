import type { Actor } from '../domain/actor';

export interface IncidentScope {
  communeId: string;
  regionId: string;
}

export function canViewIncident(actor: Actor, incident: IncidentScope): boolean {
  if (!actor.active) return false;
  if (actor.role === 'admin') return true;
  return actor.regionId !== null && actor.regionId === incident.regionId;
}

/** A manager for their own commune; a coordinator on behalf of any commune of their region. */
export function canManageIncident(actor: Actor, incident: IncidentScope): boolean {
  if (!actor.active) return false;
  if (actor.role === 'manager') return actor.communeId === incident.communeId;
  if (actor.role === 'coordinator') return actor.regionId === incident.regionId;
  return false;
}

/** What the actor may do with an incident now: what the browser offers, from these rules only. */
export function incidentAbilities(
  actor: Actor,
  incident: IncidentScope & { status: 'active' | 'recovering' | 'closed' },
) {
  const manage = canManageIncident(actor, incident) && incident.status !== 'closed';
  return { markRecovering: manage && incident.status === 'active', close: manage };
}
