import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  ClosedStatementPage,
  DailyQuery,
  DailyReport,
  HourlyRate,
  HourlyRateUpdate,
  Id,
  Statement,
  StatementClose,
  StatementFormatQuery,
  StatementListQuery,
  StatementQuery,
  type ReportFormat,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { dailyReport } from './daily-report';
import { canReadReports } from './reports-policy';
import { dailyCsv, statementCsv } from './reports-presenter';
import {
  changeHourlyRate,
  closedStatement,
  closedStatements,
  closeStatement,
  hourlyRate,
  onlyCoordinatorsReport,
  statementFor,
} from './statements';

const tag = 'reports';
const coordinator = permission.policy(canReadReports, onlyCoordinatorsReport);
const StatementParams = z.object({ id: Id.describe('statement id') });
const csvToo = (description: string, schema: z.ZodType) => ({
  200: { description: `${description}; CSV with format=csv or Accept: text/csv`, schema },
});

/** CSV when asked by `format=csv`, or by an Accept header that prefers it to JSON. */
export function wantsCsv(format: ReportFormat | undefined, req: Request): boolean {
  if (format) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

function sendCsv(res: Response, name: string, body: string): void {
  res.type('text/csv').attachment(name).send(body);
}

export const reportsEndpoints = [
  endpoint({
    method: 'get',
    path: '/reports/rate',
    tag,
    summary: "The hourly rate of the region's cost statements (coordinator)",
    permission: coordinator,
    responses: { 200: { description: 'The rate', schema: HourlyRate } },
    handle: ({ ctx, actor }) => hourlyRate(ctx, actor),
  }),

  endpoint({
    method: 'put',
    path: '/reports/rate',
    tag,
    summary: "Set the hourly rate of the region's cost statements, in euro cents (coordinator)",
    permission: coordinator,
    body: HourlyRateUpdate,
    responses: { 200: { description: 'The rate as it is now', schema: HourlyRate } },
    handle: ({ ctx, actor, body }) => changeHourlyRate(ctx, actor, body),
  }),

  endpoint({
    method: 'get',
    path: '/reports/statement',
    tag,
    summary:
      'The cost statement of a period (days from and to included, Europe/Brussels): tasks done per helping and helped commune and type, minutes, amount (coordinator)',
    permission: coordinator,
    query: StatementQuery,
    responses: csvToo('The statement', Statement),
    handle: async ({ ctx, actor, query, req, res }) => {
      const statement = await statementFor(ctx, actor, query);
      if (!wantsCsv(query.format, req)) return statement;
      sendCsv(res, `entraide-statement-${query.from}-${query.to}.csv`, statementCsv(statement));
      return undefined;
    },
  }),

  endpoint({
    method: 'get',
    path: '/reports/statements',
    tag,
    summary: "The region's closed statements, latest period first (coordinator)",
    permission: coordinator,
    query: StatementListQuery,
    responses: { 200: { description: 'A page of closed statements', schema: ClosedStatementPage } },
    handle: ({ ctx, actor, query }) => closedStatements(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/reports/statements',
    tag,
    summary:
      'Close the statement of a period that has ended: its lines are frozen and signed off, its tasks’ minutes can no longer change (coordinator)',
    permission: coordinator,
    body: StatementClose,
    responses: { 201: { description: 'The closed statement', schema: Statement } },
    problems: { 409: 'A closed statement covers days of this period already (statement_overlap)' },
    handle: ({ ctx, actor, body }) => closeStatement(ctx, actor, body),
  }),

  endpoint({
    method: 'get',
    path: '/reports/statements/:id',
    tag,
    summary: 'A closed statement with its sign-off (coordinator of its region)',
    permission: coordinator,
    params: StatementParams,
    query: StatementFormatQuery,
    responses: csvToo('The closed statement', Statement),
    handle: async ({ ctx, actor, params, query, req, res }) => {
      const statement = await closedStatement(ctx, actor, params.id);
      if (!wantsCsv(query.format, req)) return statement;
      sendCsv(res, `entraide-statement-${statement.from}-${statement.to}.csv`, statementCsv(statement));
      return undefined;
    },
  }),

  endpoint({
    method: 'get',
    path: '/reports/daily',
    tag,
    summary:
      "The daily report (today by default; days in Europe/Brussels): per commune posted, claimed, done, overdue and backlog at the day's end, median minutes to claim and to done (coordinator)",
    permission: coordinator,
    query: DailyQuery,
    responses: csvToo('The report', DailyReport),
    handle: async ({ ctx, actor, query, req, res }) => {
      const report = await dailyReport(ctx, actor, query.date);
      if (!wantsCsv(query.format, req)) return report;
      sendCsv(res, `entraide-daily-${report.date}.csv`, dailyCsv(report));
      return undefined;
    },
  }),
];
