import { actor } from '../../../test/actors';
import {
  canCancelTask,
  canClaimTask,
  canPostTasks,
  canReassignTask,
  canReleaseTask,
  canRequestTransfer,
  canUpdateTask,
  canViewCitizen,
  canViewTask,
  canWorkTask,
  taskAbilities,
  type TaskScope,
} from './tasks-policy';

const task: TaskScope = { regionId: 'R', requestingCommuneId: 'A', claimedByCommuneId: 'B', status: 'claimed' };
const managerA = actor('manager', 'A', 'R');
const clerkA = actor('clerk', 'A', 'R');
const clerkB = actor('clerk', 'B', 'R');
const clerkC = actor('clerk', 'C', 'R');
const managerB = actor('manager', 'B', 'R');
const coordinator = actor('coordinator', null, 'R');
const foreignClerk = actor('clerk', 'Z', 'Q');
const foreignCoordinator = actor('coordinator', null, 'Q');
const admin = actor('admin', null, null);

describe('task policy', () => {
  it('lets the people of the region see a task, and nobody else', () => {
    for (const a of [managerA, clerkA, clerkB, clerkC, coordinator]) expect(canViewTask(a, task)).toBe(true);
    for (const a of [foreignClerk, foreignCoordinator, admin, actor('clerk', 'A', 'R', false)])
      expect(canViewTask(a, task)).toBe(false);
  });

  it('shows citizen data to the requesting and the claiming commune only', () => {
    expect([managerA, clerkA, clerkB, managerB].map((a) => canViewCitizen(a, task))).toEqual([true, true, true, true]);
    expect([clerkC, coordinator, foreignClerk, admin].map((a) => canViewCitizen(a, task))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(canViewCitizen(clerkB, { ...task, claimedByCommuneId: null, status: 'open' })).toBe(false);
    // An account someone else recovered, not yet confirmed by a second person.
    expect(canViewCitizen({ ...managerA, citizenBarred: true }, task)).toBe(false);
  });

  it("lets only managers post, edit and cancel their own commune's tasks", () => {
    expect(canPostTasks(managerA)).toBe(true);
    expect([clerkA, coordinator, admin].map(canPostTasks)).toEqual([false, false, false]);
    expect(canUpdateTask(managerA, task)).toBe(true);
    expect(canUpdateTask(managerB, task)).toBe(false);
    expect(canCancelTask(clerkA, task)).toBe(false);
  });

  it("lets a clerk claim another commune's task only", () => {
    expect(canClaimTask(clerkC, task)).toBe(true);
    expect(canClaimTask(clerkA, task)).toBe(false);
    expect(canClaimTask(managerB, task)).toBe(false);
    expect(canClaimTask(foreignClerk, task)).toBe(false);
  });

  it("lets the holder's clerks work and release, and the coordinator release and reassign", () => {
    expect(canWorkTask(clerkB, task)).toBe(true);
    expect(canWorkTask(clerkC, task)).toBe(false);
    expect(canWorkTask(managerB, task)).toBe(false);
    expect(canReleaseTask(clerkB, task)).toBe(true);
    expect(canReleaseTask(coordinator, task)).toBe(true);
    expect(canReleaseTask(foreignCoordinator, task)).toBe(false);
    expect(canReassignTask(coordinator, task)).toBe(true);
    expect(canReassignTask(clerkB, task)).toBe(false);
  });

  it("lets another commune's clerk or the coordinator ask for a transfer, not the holder nor the requester", () => {
    expect([clerkC, coordinator].map((a) => canRequestTransfer(a, task))).toEqual([true, true]);
    expect(
      [clerkB, clerkA, managerB, foreignClerk, foreignCoordinator, admin].map((a) => canRequestTransfer(a, task)),
    ).toEqual([false, false, false, false, false, false]);
    // Only a claim not started can be asked for.
    expect(taskAbilities(clerkC, task).requestTransfer).toBe(true);
    expect(taskAbilities(clerkC, { ...task, status: 'in_progress' }).requestTransfer).toBe(false);
    expect(taskAbilities(coordinator, { ...task, status: 'open', claimedByCommuneId: null }).requestTransfer).toBe(
      false,
    );
  });

  it('combines role and status into abilities', () => {
    expect(taskAbilities(clerkB, task)).toEqual({
      update: false,
      claim: false,
      start: true,
      complete: false,
      release: true,
      cancel: false,
      reassign: false,
      correctTime: false,
      viewCitizen: true,
      requestTransfer: false,
      ask: true,
      answer: false,
    });
    // Waiting on its answer: the requesting commune's managers answer; the holder neither asks again nor works on it.
    const waiting = { ...task, status: 'waiting_info' as const };
    expect(taskAbilities(clerkB, waiting)).toMatchObject({ ask: false, answer: false, start: false, release: true });
    expect(taskAbilities(managerA, waiting)).toMatchObject({ answer: true, cancel: true, update: true });
    expect([managerB, clerkA, clerkC, coordinator].map((a) => taskAbilities(a, waiting).answer)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(taskAbilities(clerkB, { ...task, status: 'done' }).ask).toBe(false);
    // Once done, its holder's clerks may correct the time it took; nobody else.
    expect(taskAbilities(clerkB, { ...task, status: 'done' }).correctTime).toBe(true);
    expect(taskAbilities(clerkC, { ...task, status: 'done' }).correctTime).toBe(false);
    expect(taskAbilities(coordinator, { ...task, status: 'done' }).correctTime).toBe(false);
    expect(taskAbilities(clerkC, { ...task, status: 'open', claimedByCommuneId: null }).claim).toBe(true);
    expect(taskAbilities(managerA, { ...task, status: 'done' })).toMatchObject({
      update: false,
      cancel: false,
      viewCitizen: true,
    });
  });
});
