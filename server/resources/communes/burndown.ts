import type { Burndown } from '../../../shared/schemas';
import { limits } from '../../../shared/limits';
import { isRegionMember, type Actor } from '../../core/actor';
import { NotFoundError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { burndownRows, type BurndownWindow } from './burndown-repo';
import { findCommune } from './communes-repo';

const HOUR_MS = 3_600_000;

/**
 * The hours a burn-down shows, aligned on the clock's hours: the last is the one under way (it ends
 * now), the first `hours - 1` before it. The rates look back `burndownRateHours` from now.
 */
export function burndownWindow(asOf: Date, hours: number): BurndownWindow {
  const lastStart = Math.floor((asOf.getTime() - 1) / HOUR_MS) * HOUR_MS;
  return {
    first: new Date(lastStart - (hours - 1) * HOUR_MS),
    count: hours,
    until: asOf,
    rateSince: new Date(asOf.getTime() - limits.burndownRateHours * HOUR_MS),
  };
}

/**
 * When a backlog reaches zero going down by `netPerHour`: now when it is empty, never (null) when it
 * does not go down.
 */
export function burndownEta(backlog: number, netPerHour: number, asOf: Date): Date | null {
  if (backlog <= 0) return asOf;
  if (netPerHour <= 0) return null;
  return new Date(asOf.getTime() + Math.round((backlog / netPerHour) * HOUR_MS));
}

/**
 * A commune's burn-down: seen by the people of its region, as its load is (SPEC: the coordinator
 * watches every commune's backlog; the communes of a region see each other's load on the board).
 * Another region's commune, or an unknown one, answers 404.
 */
export async function communeBurndown(
  ctx: DomainContext,
  actor: Actor,
  communeId: string,
  hours: number,
): Promise<Burndown> {
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !isRegionMember(actor) || actor.regionId !== commune.regionId) throw new NotFoundError('commune');
  const asOf = ctx.clock.now();
  const window = burndownWindow(asOf, hours);
  const rows = await burndownRows(ctx.db, { regionId: commune.regionId, communeId }, window);
  const perHour = (n: number) => n / limits.burndownRateHours;
  const rates = {
    windowHours: limits.burndownRateHours,
    postedPerHour: perHour(rows.recent.posted),
    donePerHour: perHour(rows.recent.done),
    cancelledPerHour: perHour(rows.recent.cancelled),
    netPerHour: perHour(rows.recent.done + rows.recent.cancelled - rows.recent.posted),
  };
  const backlog = rows.hours[rows.hours.length - 1]?.backlog ?? 0;
  const eta = burndownEta(backlog, rates.netPerHour, asOf);
  return {
    communeId,
    asOf: asOf.toISOString(),
    hours: rows.hours.map((h) => ({
      start: h.start.toISOString(),
      end: new Date(Math.min(h.start.getTime() + HOUR_MS, asOf.getTime())).toISOString(),
      posted: h.posted,
      done: h.done,
      cancelled: h.cancelled,
      backlog: h.backlog,
    })),
    backlog,
    rates,
    converging: eta !== null,
    eta: eta?.toISOString() ?? null,
  };
}
