import { actor, cast } from '../../../test/actors';
import { canResetSecondFactorOf, canResetSecondFactors } from './second-factor-policy';

describe('second factor policy', () => {
  const admin = actor('admin', null, null);
  const otherAdmin = { ...actor('admin', null, null), id: 'admin-2' };

  it('lets only an active admin reset second factors', () => {
    expect(canResetSecondFactors(admin)).toBe(true);
    expect(canResetSecondFactors(actor('admin', null, null, false))).toBe(false);
    for (const other of [cast.coordinator, cast.managerA, cast.clerkB, actor('dpo', null, 'R')])
      expect(canResetSecondFactors(other)).toBe(false);
  });

  it("resets anyone's but the admin's own", () => {
    expect(canResetSecondFactorOf(admin, cast.coordinator)).toBe(true);
    expect(canResetSecondFactorOf(admin, otherAdmin)).toBe(true);
    expect(canResetSecondFactorOf(admin, admin)).toBe(false);
    expect(canResetSecondFactorOf(cast.coordinator, cast.managerA)).toBe(false);
  });
});
