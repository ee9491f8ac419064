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
  // The requester may still edit a task that waits on its answer (a detail it forgot, say).
  update: ['open', 'claimed', 'in_progress', 'waiting_info'],
  claim: ['open'],
  start: ['claimed'],
  complete: ['in_progress'],
  // The holder (or the coordinator) may give back a task waiting on an answer that does not come, as
  // it may give back one claimed or in progress: it goes back to open, its due date as it was (the wait
  // moves the due date only when the answer comes).
  release: ['claimed', 'in_progress', 'waiting_info'],
  cancel: ['open', 'claimed', 'in_progress', 'waiting_info'],
  // A reassignment moves a claim at work; a task waiting on its answer stays with who asked.
  reassign: ['claimed', 'in_progress'],
  /** The holder corrects the minutes a done task took (until a closed statement covers it). */
  correct_time: ['done'],
  /** The holder asks the requester a question: the task waits in waiting_info. */
  question: ['claimed', 'in_progress'],
  /** The requester answers: the task goes back to the status it was asked from (`waiting_from`). */
  answer: ['waiting_info'],
} as const satisfies Record<string, readonly TaskStatus[]>;

export type TaskChange = keyof typeof lifecycle;

/** Whether a task in `status` may undergo `change`. */
export const canMove = (status: TaskStatus, change: TaskChange): boolean =>
  (lifecycle[change] as readonly TaskStatus[]).includes(status);

/** A task in these statuses is finished: it can no longer be late. */
export const finishedStatuses = ['done', 'cancelled'] as const satisfies readonly TaskStatus[];

/**
 * The backlog: a task posted and not finished, whatever stage it is at, waiting_info included. The loads
 * and the burn-down count these; a task leaves the backlog only by entering a status outside it, which
 * is final.
 */
export const backlogStatuses = [
  'open',
  'claimed',
  'in_progress',
  'waiting_info',
] as const satisfies readonly TaskStatus[];

/**
 * The statuses whose due date does not run: finished, or waiting on the requester's answer (the wait
 * does not count against the due date: the answer moves it later by the time spent waiting).
 */
export const clockStoppedStatuses = [...finishedStatuses, 'waiting_info'] as const satisfies readonly TaskStatus[];

/** Every status is either in the backlog or finished: a status added to one list and not the other fails to compile. */
type Unlisted = Exclude<TaskStatus, (typeof backlogStatuses)[number] | (typeof finishedStatuses)[number]>;
export const everyStatusListed: [Unlisted] extends [never] ? true : never = true;

type Column = AnyColumn | SQL | SQL.Aliased;

/** Overdue: the due date is past and the task is neither done, cancelled nor waiting on an answer. */
export function isOverdue(task: { dueAt: Date; status: TaskStatus }, now = Date.now()): boolean {
  return task.dueAt.getTime() < now && !(clockStoppedStatuses as readonly TaskStatus[]).includes(task.status);
}

export function overdueSql(task: { dueAt: Column; status: Column }, now: SQL = sql`now()`): SQL {
  return sql`(${task.dueAt} < ${now} and ${task.status} not in ('done', 'cancelled', 'waiting_info'))`;
}

/** The due date a task waiting since `since` has once answered at `now`: later by the time it waited. */
export function dueAfterWait(dueAt: Date, since: Date, now: Date): Date {
  return new Date(dueAt.getTime() + Math.max(0, now.getTime() - since.getTime()));
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

/**
 * An active claim: a task a commune holds and has not finished, which counts against the region's
 * `maxActiveClaimsPerCommune`, waiting_info included (here and in the triggers that keep
 * `commune_claim_counts`, which the claim statement reads: migration 0013, redone in 0020).
 */
export const activeClaimStatuses = ['claimed', 'in_progress', 'waiting_info'] as const satisfies readonly TaskStatus[];

export function isActiveClaimOf(task: { status: TaskStatus; claimedByCommuneId: string | null }, communeId: string) {
  return task.claimedByCommuneId === communeId && (activeClaimStatuses as readonly TaskStatus[]).includes(task.status);
}

/** The SQL form of isActiveClaimOf, which tasks_holder_idx (holder, status) answers. */
export function activeClaimSql(task: { status: Column; claimedByCommuneId: Column }, communeId: Column | SQL): SQL {
  return sql`(${task.claimedByCommuneId} = ${communeId} and ${heldSql(task)})`;
}

/** A task some commune holds, whichever (the statuses of `activeClaimStatuses`), as SQL. */
export function heldSql(task: { status: Column }): SQL {
  return sql`${task.status} in ('claimed', 'in_progress', 'waiting_info')`;
}

const HOUR_MS = 3_600_000;

/** A claim not started `hours` after it was made (as of `now`): its holder is reminded, or it goes back to open. */
export function isUnstartedFor(
  task: { status: TaskStatus; claimedAt: Date | null },
  hours: number,
  now: Date,
): boolean {
  return (
    task.status === 'claimed' && task.claimedAt !== null && task.claimedAt.getTime() <= now.getTime() - hours * HOUR_MS
  );
}

export function unstartedForSql(task: { status: Column; claimedAt: Column }, hours: SQL, now: SQL): SQL {
  return sql`(${task.status} = 'claimed' and ${task.claimedAt} <= ${now} - make_interval(hours => ${hours}))`;
}
