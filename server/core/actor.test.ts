import { actor } from '../../test/actors';
import { isAdmin, isRegionMember, mustEnrolSecondFactor } from './actor';

describe('actor roles', () => {
  it('knows the platform admin, and not once deactivated', () => {
    expect(isAdmin(actor('admin', null, null))).toBe(true);
    expect(isAdmin(actor('admin', null, null, false))).toBe(false);
    expect(isAdmin(actor('coordinator', null, 'R'))).toBe(false);
  });

  it('counts managers, clerks and coordinators of a region as its members, never its DPO or the admin', () => {
    for (const a of [actor('manager', 'A', 'R'), actor('clerk', 'A', 'R'), actor('coordinator', null, 'R')])
      expect(isRegionMember(a)).toBe(true);
    for (const a of [
      actor('admin', null, null),
      actor('dpo', null, 'R'),
      actor('clerk', 'A', 'R', false),
      actor('clerk', 'A', null),
    ])
      expect(isRegionMember(a)).toBe(false);
  });

  it('asks coordinators, admins and DPOs without a second factor to enrol one, where it is required', () => {
    for (const a of [actor('coordinator', null, 'R'), actor('admin', null, null), actor('dpo', null, 'R')]) {
      expect(mustEnrolSecondFactor(a, true)).toBe(true);
      expect(mustEnrolSecondFactor({ ...a, secondFactorEnabled: true }, true)).toBe(false);
      expect(mustEnrolSecondFactor(a, false)).toBe(false);
    }
    for (const a of [actor('manager', 'A', 'R'), actor('clerk', 'A', 'R')])
      expect(mustEnrolSecondFactor(a, true)).toBe(false);
  });
});
