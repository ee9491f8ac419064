import {
  ClosedStatementPage,
  DailyReport,
  HourlyRate,
  Statement,
  Task,
  type StatementClose,
} from '../../../shared/schemas';
import { call, json } from './client';

const period = (p: StatementClose) => `from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;

/** The coordinator's reports, and the holder's correction of a task's time. */
export const reportsApi = {
  daily: (date: string) => call(DailyReport, `/reports/daily?date=${encodeURIComponent(date)}`),
  /** CSV downloads are plain links: the browser sends the session cookie. */
  dailyCsvHref: (date: string) => `/api/v1/reports/daily?date=${encodeURIComponent(date)}&format=csv`,
  rate: () => call(HourlyRate, '/reports/rate'),
  setRate: (hourlyRateCents: number) => call(HourlyRate, '/reports/rate', json({ hourlyRateCents }, 'PUT')),
  statement: (p: StatementClose) => call(Statement, `/reports/statement?${period(p)}`),
  statementCsvHref: (p: StatementClose) => `/api/v1/reports/statement?${period(p)}&format=csv`,
  closeStatement: (p: StatementClose) => call(Statement, '/reports/statements', json(p)),
  closedStatements: () => call(ClosedStatementPage, '/reports/statements?limit=100'),
  closedStatement: (id: string) => call(Statement, `/reports/statements/${id}`),
  correctTime: (taskId: string, version: number, minutesSpent: number) =>
    call(Task, `/tasks/${taskId}/time`, json({ version, minutesSpent }, 'PATCH')),
};
