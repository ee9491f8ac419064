import { cast } from '../../../test/actors';
import { canIssueAccessCode } from './access-codes-policy';

const { managerA, clerkB, coordinator, foreignManager, foreignCoordinator, admin, otherAdmin } = cast;

describe('access codes policy', () => {
  it("gives codes: the coordinator to the region's managers and clerks, the admin to all but admins, none to oneself", () => {
    expect(canIssueAccessCode(coordinator, managerA)).toBe(true);
    expect(canIssueAccessCode(coordinator, clerkB)).toBe(true);
    expect(canIssueAccessCode(coordinator, foreignManager)).toBe(false);
    expect(canIssueAccessCode(coordinator, coordinator)).toBe(false);
    expect(canIssueAccessCode(foreignCoordinator, managerA)).toBe(false);
    expect(canIssueAccessCode(admin, foreignCoordinator)).toBe(true);
    expect(canIssueAccessCode(admin, otherAdmin)).toBe(false);
    expect(canIssueAccessCode(admin, admin)).toBe(false);
    expect(canIssueAccessCode(clerkB, managerA)).toBe(false);
  });
});
