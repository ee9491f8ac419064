import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { TaskStatus } from '../../../shared/schemas';

/**
 * The rules of a task that do not depend on who asks: its life cycle, when it is overdue, and
 * which claims it can take. Where SQL must apply a rule itself (a list filter, the claim
 * statement), its SQL form is here too, beside the TypeScript form, and task-rules.test.ts holds
 * both to the same answers on every combination.
 */

/** The statuses each change may start from: the life cycle of SPEC.md. */
export const lifecycle = {
  update: ['open', 'claimed', 'in_progress'],
  claim: ['open'],
  start: ['claimed'],
  complete: ['in_progress'],
  release: ['claimed', 'in_progress'],
  cancel: ['open', 'claimed', 'in_progress'],
  reassign: ['claimed', 'in_progress'],
  /** The holder corrects the minutes a done task took (until a closed statement covers it). */
  correct_time: ['done'],
} as const satisfies Record<string, readonly TaskStatus[]>;

export type TaskChange = keyof typeof lifecycle;

/** Whether a task in `status` may undergo `change`. */
export const canMove = (status: TaskStatus, change: TaskChange): boolean =>
  (lifecycle[change] as readonly TaskStatus[]).includes(status);

/** A task in these statuses is finished: it can no longer be late. */
export const finishedStatuses = ['done', 'cancelled'] as const satisfies readonly TaskStatus[];

type Column = AnyColumn | SQL | SQL.Aliased;

/** Overdue: the due date is past and the task is neither done nor cancelled. */
export function isOverdue(task: { dueAt: Date; status: TaskStatus }, now = Date.now()): boolean {
  return task.dueAt.getTime() < now && !(finishedStatuses as readonly TaskStatus[]).includes(task.status);
}

export function overdueSql(task: { dueAt: Column; status: Column }, now: SQL = sql`now()`): SQL {
  return sql`(${task.dueAt} < ${now} and ${task.status} not in ('done', 'cancelled'))`;
}

/** Who claims: a clerk's commune and region. */
export interface Claimant {
  regionId: string;
  communeId: string;
}

/**
 * Claim eligibility: a commune may claim a task of its own region posted by another commune
 * (Entraide moves work between communes; a commune that can do its own work does not post it).
 */
export function isEligibleClaimant(
  task: { regionId: string; requestingCommuneId: string },
  claimant: Claimant,
): boolean {
  return task.regionId === claimant.regionId && task.requestingCommuneId !== claimant.communeId;
}

/** A claim succeeds on an open task whose claimant is eligible. */
export function isClaimableBy(
  task: { status: TaskStatus; regionId: string; requestingCommuneId: string },
  claimant: Claimant,
): boolean {
  return canMove(task.status, 'claim') && isEligibleClaimant(task, claimant);
}

export function claimableSql(
  task: { status: Column; regionId: Column; requestingCommuneId: Column },
  claimant: { regionId: Column; communeId: Column },
): SQL {
  return sql`(${task.status} = 'open' and ${task.regionId} = ${claimant.regionId}
    and ${task.requestingCommuneId} <> ${claimant.communeId})`;
}
