import { z } from 'zod';
import { limits } from '../limits';
import { Id, Limit, page } from './common';

/** Reports count days as the town halls live them: in the region's time zone. */
export const REPORT_TIME_ZONE = 'Europe/Brussels';

export const ReportDate = z.iso.date({ error: 'must be a date like 2026-03-10' });

const DAY_MS = 86_400_000;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day (YYYY-MM-DD) an instant falls on in the reports' time zone. */
export function reportDay(instant: Date): string {
  return dayFormat.format(instant);
}

/** The days from `from` to `to`, both included (dates as YYYY-MM-DD). */
export function periodDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A period that ends on or after the day it starts, and covers at most `max` days (a year for the reports). */
export const periodCheck = (max: number) => (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const days = periodDays(q.from, q.to);
  if (days < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'must not be before from',
      params: { code: 'period_reversed' },
    });
  } else if (days > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `must be at most ${max} days from from, both included`,
      params: { code: 'period_too_long', max },
    });
  }
};
const checkPeriod = periodCheck(limits.statementPeriodDaysMax);

/** `format=csv` asks for CSV (so does `Accept: text/csv`); JSON otherwise. */
export const ReportFormat = z.enum(['json', 'csv'], { error: 'must be json or csv' });
export type ReportFormat = z.infer<typeof ReportFormat>;

const periodFields = { from: ReportDate, to: ReportDate };

export const StatementQuery = z
  .strictObject({ ...periodFields, format: ReportFormat.optional() })
  .superRefine(checkPeriod)
  .meta({ id: 'StatementQuery' });
export type StatementQuery = z.infer<typeof StatementQuery>;

export const StatementClose = z.strictObject(periodFields).superRefine(checkPeriod).meta({ id: 'StatementClose' });
export type StatementClose = z.infer<typeof StatementClose>;

const Cents = z.number().int();

export const HourlyRate = z
  .object({
    regionId: Id,
    /** Euro cents an hour of a helping commune's work is worth, for the cost statements. */
    hourlyRateCents: Cents,
    currency: z.literal('EUR'),
    /** Whether the region has set it (0 until it does). */
    set: z.boolean(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'HourlyRate' });
export type HourlyRate = z.infer<typeof HourlyRate>;

const rateMessage = `must be a whole number of euro cents from 0 to ${limits.hourlyRateCentsMax}`;
export const HourlyRateUpdate = z
  .strictObject({
    hourlyRateCents: z
      .number({ error: rateMessage })
      .int(rateMessage)
      .min(0, rateMessage)
      .max(limits.hourlyRateCentsMax, rateMessage),
  })
  .meta({ id: 'HourlyRateUpdate' });
export type HourlyRateUpdate = z.infer<typeof HourlyRateUpdate>;

const Amounts = {
  tasks: z.number().int(),
  minutes: z.number().int(),
  /** minutes × the hourly rate ÷ 60, rounded to the cent on each line; subtotals and totals add lines up. */
  amountCents: Cents,
};

/** What one helping commune did for one helped commune, for one task type. No citizen data. */
export const StatementLine = z
  .object({
    helperCommuneId: Id,
    helperCommuneName: z.string(),
    helpedCommuneId: Id,
    helpedCommuneName: z.string(),
    taskType: z.string(),
    ...Amounts,
  })
  .meta({ id: 'StatementLine' });
export type StatementLine = z.infer<typeof StatementLine>;

export const StatementPair = StatementLine.omit({ taskType: true }).meta({ id: 'StatementPair' });
export type StatementPair = z.infer<typeof StatementPair>;

export const StatementTotals = z.object(Amounts).meta({ id: 'StatementTotals' });
export type StatementTotals = z.infer<typeof StatementTotals>;

/** Who closed a statement, and when: its sign-off. */
export const StatementSignOff = z
  .object({ id: Id, closedAt: z.string(), closedById: Id.nullable(), closedByName: z.string() })
  .meta({ id: 'StatementSignOff' });

/** The cost statement of a region's communes for a period, live or closed (`closed`). */
export const Statement = z
  .object({
    regionId: Id,
    from: ReportDate,
    to: ReportDate,
    timeZone: z.string(),
    hourlyRateCents: Cents,
    currency: z.literal('EUR'),
    lines: z.array(StatementLine),
    pairs: z.array(StatementPair),
    totals: StatementTotals,
    closed: StatementSignOff.nullable(),
  })
  .meta({ id: 'Statement' });
export type Statement = z.infer<typeof Statement>;

export const ClosedStatementSummary = z
  .object({
    id: Id,
    from: ReportDate,
    to: ReportDate,
    hourlyRateCents: Cents,
    totals: StatementTotals,
    closedAt: z.string(),
    closedByName: z.string(),
  })
  .meta({ id: 'ClosedStatementSummary' });
export type ClosedStatementSummary = z.infer<typeof ClosedStatementSummary>;

export const ClosedStatementPage = page(ClosedStatementSummary, 'ClosedStatementPage');
export type ClosedStatementPage = z.infer<typeof ClosedStatementPage>;

export const StatementListQuery = z.strictObject({ cursor: z.string().max(200).optional(), limit: Limit });
export type StatementListQuery = z.infer<typeof StatementListQuery>;

export const StatementFormatQuery = z.strictObject({ format: ReportFormat.optional() });

export const DailyQuery = z
  .strictObject({ date: ReportDate.optional(), format: ReportFormat.optional() })
  .meta({ id: 'DailyQuery' });
export type DailyQuery = z.infer<typeof DailyQuery>;

const DailyFigures = {
  /** Tasks the commune posted that day. */
  posted: z.number().int(),
  /** Tasks the commune took that day (claims, and reassignments to it). */
  claimed: z.number().int(),
  /** Tasks the commune completed that day. */
  done: z.number().int(),
  /** Of the tasks the commune posted, those overdue at the end of the day. */
  overdue: z.number().int(),
  /** Of the tasks the commune posted, those not done nor cancelled at the end of the day. */
  backlog: z.number().int(),
  /** Of the commune's tasks claimed that day, the median minutes from posting to the claim. */
  medianMinutesToClaim: z.number().nullable(),
  /** Of the commune's tasks done that day, the median minutes from posting to done. */
  medianMinutesToDone: z.number().nullable(),
};

export const DailyRow = z.object({ communeId: Id, communeName: z.string(), ...DailyFigures }).meta({ id: 'DailyRow' });
export type DailyRow = z.infer<typeof DailyRow>;

export const DailyTotals = z.object(DailyFigures).meta({ id: 'DailyTotals' });
export type DailyTotals = z.infer<typeof DailyTotals>;

export const DailyReport = z
  .object({
    regionId: Id,
    date: ReportDate,
    timeZone: z.string(),
    /** The day's bounds in the time zone, as instants: [start, end). */
    start: z.string(),
    end: z.string(),
    /** Where the "end of the day" figures stand: the day's end, or now for today. */
    asOf: z.string(),
    communes: z.array(DailyRow),
    totals: DailyTotals,
  })
  .meta({ id: 'DailyReport' });
export type DailyReport = z.infer<typeof DailyReport>;
