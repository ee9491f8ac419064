import { msg } from '../../core/messages';
import { REPORT_TIME_ZONE, reportDay, type DailyReport, type DailyTotals } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { listCommunes } from '../communes/communes-repo';
import { dailyFacts, dayBounds, type DailyFact } from './daily-repo';
import { canReadReports } from './reports-policy';
import { onlyCoordinatorsReport } from './statements';

const oneDecimal = (m: number | null) => (m === null ? null : Math.round(m * 10) / 10);

function figures(facts: readonly DailyFact[]): DailyTotals {
  const of = (kind: DailyFact['kind']) => facts.find((f) => f.kind === kind);
  return {
    posted: of('posted')?.n ?? 0,
    claimed: of('claimed')?.n ?? 0,
    done: of('done')?.n ?? 0,
    overdue: of('overdue')?.n ?? 0,
    backlog: of('backlog')?.n ?? 0,
    medianMinutesToClaim: oneDecimal(of('to_claim')?.median ?? null),
    medianMinutesToDone: oneDecimal(of('to_done')?.median ?? null),
  };
}

/**
 * The coordinator's report of one day (today by default) in the region's time zone: per commune and
 * for the region, what was posted, claimed and done that day, the backlog and the overdue tasks at
 * the end of the day (now, for today), and the median minutes from posting to a claim and to done.
 */
export async function dailyReport(ctx: DomainContext, actor: Actor, date: string | undefined): Promise<DailyReport> {
  if (!canReadReports(actor)) throw new ForbiddenError(onlyCoordinatorsReport);
  const now = ctx.clock.now();
  const today = reportDay(now);
  const day = date ?? today;
  if (day > today) {
    throw new ValidationError(msg('day_to_come'), [
      { field: 'date', message: `must be today (${today}) or a day before`, code: 'too_large', params: { max: today } },
    ]);
  }
  const { start, end } = await dayBounds(ctx.db, day);
  const asOf = end < now ? end : now;
  const [communes, facts] = await Promise.all([
    listCommunes(ctx.db, actor.regionId),
    dailyFacts(ctx.db, actor.regionId, start, asOf),
  ]);
  return {
    regionId: actor.regionId,
    date: day,
    timeZone: REPORT_TIME_ZONE,
    start: start.toISOString(),
    end: end.toISOString(),
    asOf: asOf.toISOString(),
    communes: communes.map((c) => ({
      communeId: c.id,
      communeName: c.name,
      ...figures(facts.filter((f) => f.communeId === c.id)),
    })),
    totals: figures(facts.filter((f) => f.communeId === null)),
  };
}
