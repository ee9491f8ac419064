import { and, asc, desc, eq, gte, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { REPORT_TIME_ZONE } from '../../../shared/schemas';
import { realTasks } from '../tasks/tasks-repo';
import type { Executor } from '../../db/client';
import {
  communes,
  regions,
  regionSettings,
  statementLines,
  statements,
  tasks,
  type StatementLineRow,
  type StatementRow,
} from '../../db/schema';

/** The instant a day (YYYY-MM-DD) starts in the reports' time zone. */
export const dayStartSql = (day: string) => sql`((${day}::date)::timestamp at time zone ${REPORT_TIME_ZONE})`;
/** The instant the day after `day` starts: the end of `day`, exclusive (23 or 25 hours on a DST change). */
export const dayEndSql = (day: string) => sql`(((${day}::date) + 1)::timestamp at time zone ${REPORT_TIME_ZONE})`;
/** The day (in the reports' time zone) an instant falls on. */
const localDay = (instant: unknown) => sql`((${instant}) at time zone ${REPORT_TIME_ZONE})::date`;

export async function findHourlyRate(db: Executor, regionId: string) {
  const [row] = await db
    .select({ hourlyRateCents: regionSettings.hourlyRateCents, updatedAt: regionSettings.updatedAt })
    .from(regionSettings)
    .where(eq(regionSettings.regionId, regionId));
  return row;
}

/** Sets the rate alone: the region's other settings (retention, claims) stay as they are. */
export async function setHourlyRate(db: Executor, regionId: string, cents: number, by: string) {
  await db
    .insert(regionSettings)
    .values({ regionId, hourlyRateCents: cents, updatedBy: by })
    .onConflictDoUpdate({
      target: regionSettings.regionId,
      set: { hourlyRateCents: cents, updatedBy: by, updatedAt: sql`now()` },
    });
}

/** What a statement counts, before the rate: done tasks per helper, helped commune and type. */
export interface WorkLine {
  helperCommuneId: string;
  helperCommuneName: string;
  helpedCommuneId: string;
  helpedCommuneName: string;
  taskType: string;
  tasks: number;
  minutes: number;
}

/**
 * The region's tasks done from the first day to the last (both included, in the reports' time zone),
 * by the commune that did them, the commune that asked, and type. Names and counts, never citizen data.
 */
export async function workDone(db: Executor, regionId: string, from: string, to: string): Promise<WorkLine[]> {
  const helper = alias(communes, 'helper');
  const helped = alias(communes, 'helped');
  return db
    .select({
      helperCommuneId: helper.id,
      helperCommuneName: helper.name,
      helpedCommuneId: helped.id,
      helpedCommuneName: helped.name,
      taskType: tasks.type,
      tasks: sql<number>`count(*)::int`,
      minutes: sql<number>`coalesce(sum(${tasks.minutesSpent}), 0)::int`,
    })
    .from(tasks)
    .innerJoin(helper, eq(helper.id, tasks.claimedByCommuneId))
    .innerJoin(helped, eq(helped.id, tasks.requestingCommuneId))
    .where(
      and(
        eq(tasks.regionId, regionId),
        realTasks(),
        eq(tasks.status, 'done'),
        gte(tasks.doneAt, dayStartSql(from)),
        lt(tasks.doneAt, dayEndSql(to)),
      ),
    )
    .groupBy(helper.id, helper.name, helped.id, helped.name, tasks.type)
    .orderBy(asc(helper.name), asc(helped.name), asc(tasks.type));
}

/**
 * Takes the region's row for the rest of the transaction: closing a statement takes it exclusively
 * (`for no key update`), a correction of minutes shares it (`for share`), so that a correction
 * either lands before a statement reads the minutes or sees the statement and is refused. Posting
 * tasks (a foreign key's `for key share`) is not held up by either.
 */
export async function lockRegion(db: Executor, regionId: string, mode: 'close' | 'correct') {
  const query = db.select({ id: regions.id }).from(regions).where(eq(regions.id, regionId));
  await (mode === 'close' ? query.for('no key update') : query.for('share'));
}

/** The closed statements of the region that share a day with the period. */
export async function overlappingStatements(db: Executor, regionId: string, from: string, to: string) {
  return db
    .select()
    .from(statements)
    .where(and(eq(statements.regionId, regionId), lte(statements.periodFrom, to), gte(statements.periodTo, from)))
    .orderBy(asc(statements.periodFrom));
}

/** Whether a closed statement of the region covers the day an instant falls on. */
export async function closedStatementCovering(db: Executor, regionId: string, at: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: statements.id })
    .from(statements)
    .where(
      and(
        eq(statements.regionId, regionId),
        lte(statements.periodFrom, localDay(sql`${at.toISOString()}::timestamptz`)),
        gte(statements.periodTo, localDay(sql`${at.toISOString()}::timestamptz`)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export type NewStatement = Omit<typeof statements.$inferInsert, 'id'>;
export type NewStatementLine = Omit<StatementLineRow, 'statementId'>;

export async function insertStatement(db: Executor, values: NewStatement, lines: NewStatementLine[]) {
  const [row] = await db.insert(statements).values(values).returning();
  if (!row) throw new Error('statement not stored');
  if (lines.length > 0) await db.insert(statementLines).values(lines.map((l) => ({ ...l, statementId: row.id })));
  return row;
}

export async function findStatement(db: Executor, id: string) {
  const [row] = await db.select().from(statements).where(eq(statements.id, id));
  return row;
}

/** The closed statement of exactly this period, if there is one. */
export async function findStatementOfPeriod(db: Executor, regionId: string, from: string, to: string) {
  const [row] = await db
    .select()
    .from(statements)
    .where(and(eq(statements.regionId, regionId), eq(statements.periodFrom, from), eq(statements.periodTo, to)));
  return row;
}

export async function linesOf(db: Executor, statementId: string): Promise<StatementLineRow[]> {
  return db
    .select()
    .from(statementLines)
    .where(eq(statementLines.statementId, statementId))
    .orderBy(
      asc(statementLines.helperCommuneName),
      asc(statementLines.helpedCommuneName),
      asc(statementLines.taskType),
    );
}

/** The region's closed statements, latest period first, after the cursor's. */
export async function listStatements(
  db: Executor,
  regionId: string,
  after: { periodFrom: string; id: string } | undefined,
  limit: number,
): Promise<StatementRow[]> {
  return db
    .select()
    .from(statements)
    .where(
      and(
        eq(statements.regionId, regionId),
        after
          ? or(
              lt(statements.periodFrom, after.periodFrom),
              and(eq(statements.periodFrom, after.periodFrom), lt(statements.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(statements.periodFrom), desc(statements.id))
    .limit(limit);
}
