import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
  REPORT_TIME_ZONE,
  type ClosedStatementSummary,
  type DailyReport,
  type Statement,
  type StatementLine,
  type StatementPair,
} from '../../../shared/schemas';
import { ValidationError } from '../../core/errors';
import type { StatementRow } from '../../db/schema';
import { msg } from '../../core/messages';

type StatementHead = Pick<StatementRow, 'regionId' | 'periodFrom' | 'periodTo' | 'hourlyRateCents'> &
  Partial<Pick<StatementRow, 'id' | 'closedAt' | 'closedBy' | 'closedByName'>>;

const sum = (lines: readonly StatementLine[]) => ({
  tasks: lines.reduce((n, l) => n + l.tasks, 0),
  minutes: lines.reduce((n, l) => n + l.minutes, 0),
  amountCents: lines.reduce((n, l) => n + l.amountCents, 0),
});

/** Subtotals per helping and helped commune, in the lines' order. */
function pairsOf(lines: readonly StatementLine[]): StatementPair[] {
  const pairs = new Map<string, StatementLine[]>();
  for (const l of lines) {
    const key = `${l.helperCommuneId}/${l.helpedCommuneId}`;
    pairs.set(key, [...(pairs.get(key) ?? []), l]);
  }
  return [...pairs.values()].flatMap((group) => {
    const [first] = group;
    if (!first) return [];
    return [
      {
        helperCommuneId: first.helperCommuneId,
        helperCommuneName: first.helperCommuneName,
        helpedCommuneId: first.helpedCommuneId,
        helpedCommuneName: first.helpedCommuneName,
        ...sum(group),
      },
    ];
  });
}

/** A statement, live (no id) or closed (with its sign-off). Totals add up its lines. */
export function presentStatement(head: StatementHead, lines: readonly StatementLine[]): Statement {
  const closed =
    head.id && head.closedAt && head.closedByName !== undefined
      ? {
          id: head.id,
          closedAt: head.closedAt.toISOString(),
          closedById: head.closedBy ?? null,
          closedByName: head.closedByName,
        }
      : null;
  const plain = lines.map((l) => ({
    helperCommuneId: l.helperCommuneId,
    helperCommuneName: l.helperCommuneName,
    helpedCommuneId: l.helpedCommuneId,
    helpedCommuneName: l.helpedCommuneName,
    taskType: l.taskType,
    tasks: l.tasks,
    minutes: l.minutes,
    amountCents: l.amountCents,
  }));
  return {
    regionId: head.regionId,
    from: head.periodFrom,
    to: head.periodTo,
    timeZone: REPORT_TIME_ZONE,
    hourlyRateCents: head.hourlyRateCents,
    currency: 'EUR',
    lines: plain,
    pairs: pairsOf(plain),
    totals: sum(plain),
    closed,
  };
}

export function presentSummary(row: StatementRow): ClosedStatementSummary {
  return {
    id: row.id,
    from: row.periodFrom,
    to: row.periodTo,
    hourlyRateCents: row.hourlyRateCents,
    totals: { tasks: row.tasks, minutes: row.minutes, amountCents: row.amountCents },
    closedAt: row.closedAt.toISOString(),
    closedByName: row.closedByName,
  };
}

const Cursor = z.tuple([z.iso.date(), z.uuid()]);

export function encodeStatementCursor(row: StatementRow): string {
  return Buffer.from(JSON.stringify([row.periodFrom, row.id])).toString('base64url');
}

export function decodeStatementCursor(cursor: string): { periodFrom: string; id: string } {
  try {
    const [periodFrom, id] = Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { periodFrom, id };
  } catch {
    throw new ValidationError(msg('page_cursor_invalid'), [
      { field: 'cursor', message: 'must be a nextCursor returned by a previous page', code: 'invalid' },
    ]);
  }
}

const euros = (cents: number) => (cents / 100).toFixed(2);

/** CSV with a header, spreadsheet formulas escaped (a commune's name is typed by people). */
const csv = (header: string[], rows: (string | number)[][]) =>
  stringify([header, ...rows], { escape_formulas: true, bom: true });

/** A statement as CSV: one row per line, then the total; the sign-off on every row once closed. */
export function statementCsv(s: Statement): string {
  const signOff = [s.closed?.closedByName ?? '', s.closed?.closedAt ?? ''];
  const head = [s.from, s.to];
  return csv(
    [
      'period_from',
      'period_to',
      'helper_commune',
      'helped_commune',
      'task_type',
      'tasks',
      'minutes',
      'hourly_rate_eur',
      'amount_eur',
      'signed_off_by',
      'signed_off_at',
    ],
    [
      ...s.lines.map((l) => [
        ...head,
        l.helperCommuneName,
        l.helpedCommuneName,
        l.taskType,
        l.tasks,
        l.minutes,
        euros(s.hourlyRateCents),
        euros(l.amountCents),
        ...signOff,
      ]),
      [
        ...head,
        'TOTAL',
        '',
        '',
        s.totals.tasks,
        s.totals.minutes,
        euros(s.hourlyRateCents),
        euros(s.totals.amountCents),
        ...signOff,
      ],
    ],
  );
}

const median = (m: number | null) => (m === null ? '' : m);

/** The daily report as CSV: one row per commune, then the region's. */
export function dailyCsv(r: DailyReport): string {
  const figures = (f: DailyReport['totals']) => [
    f.posted,
    f.claimed,
    f.done,
    f.overdue,
    f.backlog,
    median(f.medianMinutesToClaim),
    median(f.medianMinutesToDone),
  ];
  return csv(
    [
      'date',
      'commune',
      'posted',
      'claimed',
      'done',
      'overdue',
      'backlog',
      'median_minutes_to_claim',
      'median_minutes_to_done',
    ],
    [...r.communes.map((c) => [r.date, c.communeName, ...figures(c)]), [r.date, 'TOTAL', ...figures(r.totals)]],
  );
}
