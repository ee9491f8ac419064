import type { Actor } from '../../core/actor';

/** The region's reports (statements, the daily report, the rate) are its coordinator's. */
export function canReadReports(actor: Actor): actor is Actor & { regionId: string } {
  return actor.active && actor.role === 'coordinator' && actor.regionId !== null;
}

/** A closed statement: the coordinator of its region, nobody else (others get "not found"). */
export function canSeeStatement(actor: Actor, statement: { regionId: string }): boolean {
  return canReadReports(actor) && actor.regionId === statement.regionId;
}
