import { actor } from '../../test/actors';
import { canIssueAccessCode, canListAccounts, canSeeAccount } from './commune-policy';

const managerA = actor('manager', 'A', 'R');
const clerkB = actor('clerk', 'B', 'R');
const coordinator = actor('coordinator', null, 'R');
const foreignManager = actor('manager', 'Z', 'Q');
const foreignCoordinator = actor('coordinator', null, 'Q');
const admin = actor('admin', null, null);
const otherAdmin = { ...actor('admin', null, null), id: 'admin-2' };

describe('accounts policy', () => {
  it('lets the admin and coordinators list accounts, nobody else and nobody deactivated', () => {
    expect(canListAccounts(admin)).toBe(true);
    expect(canListAccounts(coordinator)).toBe(true);
    for (const a of [managerA, clerkB, actor('coordinator', null, 'R', false)]) expect(canListAccounts(a)).toBe(false);
  });

  it('shows a coordinator the managers and clerks of their region only', () => {
    expect(canSeeAccount(coordinator, managerA)).toBe(true);
    expect(canSeeAccount(coordinator, clerkB)).toBe(true);
    for (const target of [foreignManager, foreignCoordinator, coordinator, admin])
      expect(canSeeAccount(coordinator, target)).toBe(false);
    for (const target of [managerA, foreignManager, coordinator, otherAdmin])
      expect(canSeeAccount(admin, target)).toBe(true);
    expect(canSeeAccount(managerA, clerkB)).toBe(false);
  });

  it("lets a coordinator give an access code to their region's managers and clerks, the admin to anyone but an admin, nobody to themselves", () => {
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
