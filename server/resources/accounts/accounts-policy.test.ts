import { actor, cast } from '../../../test/actors';
import { canListAccounts, canSeeAccount } from './accounts-policy';

const { managerA, clerkB, coordinator, foreignManager, foreignCoordinator, admin, otherAdmin } = cast;

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
});
