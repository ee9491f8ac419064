import type { IncidentStatus } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';

/** The life cycle of an incident: active ⇄ recovering → closed, and closed is final. */
const transitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  active: ['active', 'recovering', 'closed'],
  recovering: ['recovering', 'active', 'closed'],
  closed: [],
};

export const canBecome = (from: IncidentStatus, to: IncidentStatus): boolean => transitions[from].includes(to);

export interface IncidentScope {
  communeId: string;
  regionId: string;
}

/** Who may declare and manage incidents at all: commune managers and region coordinators. */
export function canManageIncidents(actor: Actor): boolean {
  if (!actor.active) return false;
  return (
    (actor.role === 'manager' && actor.communeId !== null) || (actor.role === 'coordinator' && actor.regionId !== null)
  );
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
export function incidentAbilities(actor: Actor, incident: IncidentScope & { status: IncidentStatus }) {
  const manage = canManageIncident(actor, incident);
  const { status } = incident;
  return {
    markRecovering: manage && status !== 'recovering' && canBecome(status, 'recovering'),
    close: manage && canBecome(status, 'closed'),
  };
}
