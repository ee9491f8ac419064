import {
  REPORT_TIME_ZONE,
  reportDay,
  type ClosedStatementPage,
  type HourlyRate,
  type HourlyRateUpdate,
  type Statement,
  type StatementClose,
  type StatementLine,
  type StatementListQuery,
} from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import type { StatementRow } from '../../db/schema';
import { canReadReports, canSeeStatement } from './reports-policy';
import {
  findHourlyRate,
  findStatement,
  findStatementOfPeriod,
  insertStatement,
  linesOf,
  listStatements,
  lockRegion,
  overlappingStatements,
  setHourlyRate,
  workDone,
  type WorkLine,
} from './statements-repo';
import { decodeStatementCursor, encodeStatementCursor, presentStatement, presentSummary } from './reports-presenter';
import { msg } from '../../core/messages';

export const onlyCoordinatorsReport = msg('only_coordinators_report');

function coordinatorOf(actor: Actor): string {
  if (!canReadReports(actor)) throw new ForbiddenError(onlyCoordinatorsReport);
  return actor.regionId;
}

export async function hourlyRate(ctx: DomainContext, actor: Actor): Promise<HourlyRate> {
  const regionId = coordinatorOf(actor);
  const row = await findHourlyRate(ctx.db, regionId);
  const cents = row?.hourlyRateCents ?? null;
  return {
    regionId,
    hourlyRateCents: cents ?? 0,
    currency: 'EUR',
    set: cents !== null,
    updatedAt: cents !== null && row ? row.updatedAt.toISOString() : null,
  };
}

/** The coordinator sets the rate of the region's statements; closed statements keep the rate they had. */
export async function changeHourlyRate(ctx: DomainContext, actor: Actor, input: HourlyRateUpdate) {
  const regionId = coordinatorOf(actor);
  await transaction(ctx.db, async (tx) => {
    await setHourlyRate(tx, regionId, input.hourlyRateCents, actor.id);
    await appendAudit(
      tx,
      byActor(actor, { kind: 'settings_changed', detail: { hourlyRateCents: input.hourlyRateCents } }),
    );
  });
  return hourlyRate(ctx, actor);
}

/** Lines at a rate: each line's amount rounded to the cent. */
export function priced(lines: readonly WorkLine[], rateCents: number): StatementLine[] {
  return lines.map((l) => ({ ...l, amountCents: Math.round((l.minutes * rateCents) / 60) }));
}

/**
 * The statement of a period as it stands: the closed one if this very period was closed (its
 * frozen lines and sign-off), else the work done so far at the region's current rate.
 */
export async function statementFor(
  ctx: DomainContext,
  actor: Actor,
  period: { from: string; to: string },
): Promise<Statement> {
  const regionId = coordinatorOf(actor);
  const closed = await findStatementOfPeriod(ctx.db, regionId, period.from, period.to);
  if (closed) return presentStatement(closed, await linesOf(ctx.db, closed.id));
  const [rate, lines] = await Promise.all([
    findHourlyRate(ctx.db, regionId),
    workDone(ctx.db, regionId, period.from, period.to),
  ]);
  const cents = rate?.hourlyRateCents ?? 0;
  return presentStatement(
    { regionId, periodFrom: period.from, periodTo: period.to, hourlyRateCents: cents },
    priced(lines, cents),
  );
}

/**
 * Closes a statement: its lines and totals are stored as they are now, with the rate, who closed it
 * and when, and an entry on the audit trail; from then on the minutes of its tasks cannot change.
 * Only a period that has ended, and that shares no day with a closed statement of the region.
 */
export async function closeStatement(ctx: DomainContext, actor: Actor, input: StatementClose): Promise<Statement> {
  const regionId = coordinatorOf(actor);
  const now = ctx.clock.now();
  const today = reportDay(now);
  if (input.to >= today) {
    throw new ValidationError(msg('statement_not_closed'), [
      {
        field: 'to',
        message: `must be a day that has ended (before ${today}, ${REPORT_TIME_ZONE})`,
        code: 'period_not_ended',
        params: { today },
      },
    ]);
  }
  const closed = await transaction(ctx.db, async (tx) => {
    await lockRegion(tx, regionId, 'close');
    const overlaps = await overlappingStatements(tx, regionId, input.from, input.to);
    if (overlaps.length > 0) {
      throw new ConflictError(
        `A closed statement covers days of this period already (${overlaps.map((s) => `${s.periodFrom} to ${s.periodTo}`).join(', ')}).`,
        'statement_overlap',
        overlaps.map(presentSummary),
      );
    }
    const rate = (await findHourlyRate(tx, regionId))?.hourlyRateCents ?? 0;
    const lines = priced(await workDone(tx, regionId, input.from, input.to), rate);
    const sum = (pick: (l: StatementLine) => number) => lines.reduce((n, l) => n + pick(l), 0);
    const row = await insertStatement(
      tx,
      {
        regionId,
        periodFrom: input.from,
        periodTo: input.to,
        hourlyRateCents: rate,
        tasks: sum((l) => l.tasks),
        minutes: sum((l) => l.minutes),
        amountCents: sum((l) => l.amountCents),
        closedBy: actor.id,
        closedByName: actor.displayName,
        closedAt: now,
      },
      lines,
    );
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'statement_closed',
        detail: {
          statementId: row.id,
          from: input.from,
          to: input.to,
          hourlyRateCents: rate,
          tasks: row.tasks,
          minutes: row.minutes,
          amountCents: row.amountCents,
        },
      }),
    );
    return { row, lines };
  });
  return presentStatement(closed.row, closed.lines);
}

async function visibleStatement(ctx: DomainContext, actor: Actor, id: string): Promise<StatementRow> {
  coordinatorOf(actor);
  const row = await findStatement(ctx.db, id);
  if (!row || !canSeeStatement(actor, row)) throw new NotFoundError('statement');
  return row;
}

export async function closedStatement(ctx: DomainContext, actor: Actor, id: string): Promise<Statement> {
  const row = await visibleStatement(ctx, actor, id);
  return presentStatement(row, await linesOf(ctx.db, row.id));
}

export async function closedStatements(
  ctx: DomainContext,
  actor: Actor,
  query: StatementListQuery,
): Promise<ClosedStatementPage> {
  const regionId = coordinatorOf(actor);
  const after = query.cursor === undefined ? undefined : decodeStatementCursor(query.cursor);
  const rows = await listStatements(ctx.db, regionId, after, query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(presentSummary),
    nextCursor: rows.length > query.limit && last ? encodeStatementCursor(last) : null,
  };
}
