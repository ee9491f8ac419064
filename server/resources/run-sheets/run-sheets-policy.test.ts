import { actor, cast } from '../../../test/actors';
import type { TaskScope } from '../tasks/tasks-policy';
import { canPrintRunSheets, canPrintTask, canReconcileRunSheets, canReconcileTask } from './run-sheets-policy';

const postedByA: TaskScope = { regionId: 'R', requestingCommuneId: 'A', claimedByCommuneId: null, status: 'open' };
const heldByB: TaskScope = { ...postedByA, claimedByCommuneId: 'B', status: 'claimed' };
const clerkA = actor('clerk', 'A', 'R');
const managerB = actor('manager', 'B', 'R');
const managerC = actor('manager', 'C', 'R');

describe('run-sheets policy', () => {
  it('lets managers and clerks print, nobody else', () => {
    expect(canPrintRunSheets(cast.managerA)).toBe(true);
    expect(canPrintRunSheets(cast.clerkB)).toBe(true);
    expect(canPrintRunSheets(cast.coordinator)).toBe(false);
    expect(canPrintRunSheets(cast.admin)).toBe(false);
    expect(canPrintRunSheets(actor('dpo', null, 'R'))).toBe(false);
    expect(canPrintRunSheets(actor('clerk', 'B', 'R', false))).toBe(false);
  });

  it('prints what the commune holds, and its own tasks for the requesting commune’s managers', () => {
    expect(canPrintTask(cast.clerkB, heldByB)).toBe(true);
    expect(canPrintTask(managerB, heldByB)).toBe(true);
    expect(canPrintTask(cast.managerA, heldByB)).toBe(true);
    expect(canPrintTask(cast.managerA, postedByA)).toBe(true);
    // A clerk of the requesting commune does not hold its tasks; another commune neither.
    expect(canPrintTask(clerkA, heldByB)).toBe(false);
    expect(canPrintTask(managerC, heldByB)).toBe(false);
    expect(canPrintTask(cast.clerkB, postedByA)).toBe(false);
    expect(canPrintTask(cast.foreignManager, { ...heldByB, claimedByCommuneId: 'Z' })).toBe(false);
  });

  it('reconciles only as the holder’s clerk', () => {
    expect(canReconcileRunSheets(cast.clerkB)).toBe(true);
    expect(canReconcileRunSheets(cast.managerA)).toBe(false);
    expect(canReconcileRunSheets(cast.coordinator)).toBe(false);
    expect(canReconcileTask(cast.clerkB, heldByB)).toBe(true);
    expect(canReconcileTask(clerkA, heldByB)).toBe(false);
    expect(canReconcileTask(actor('clerk', 'B', 'Q'), heldByB)).toBe(false);
  });
});
