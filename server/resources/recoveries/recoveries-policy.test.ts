import { actor } from '../../../test/actors';
import { canConfirmRecovery, canConfirmRecoveries, canSeeRecovery, type RecoveryScope } from './recoveries-policy';

const dpo = actor('dpo', null, 'R');
const managerA = actor('manager', 'A', 'R');
const otherManagerA = { ...actor('manager', 'A', 'R'), id: 'manager-A-2' };
const managerB = actor('manager', 'B', 'R');
const coordinator = actor('coordinator', null, 'R');
const admin = actor('admin', null, null);
const foreignDpo = actor('dpo', null, 'Q');
const clerkRecovered: RecoveryScope = {
  userId: 'clerk-A',
  communeId: 'A',
  regionId: 'R',
  recoveredBy: ['coordinator-R'],
};

describe('recoveries policy', () => {
  it('lets DPOs and managers confirm, not coordinators, admins, clerks or an account itself waiting', () => {
    expect([dpo, managerA].map(canConfirmRecoveries)).toEqual([true, true]);
    expect(
      [coordinator, admin, actor('clerk', 'A', 'R'), { ...dpo, citizenBarred: true }].map(canConfirmRecoveries),
    ).toEqual([false, false, false, false]);
  });

  it("has the region's DPO or the commune's manager confirm, never the account itself or whoever recovered it", () => {
    expect(canConfirmRecovery(dpo, clerkRecovered)).toBe(true);
    expect(canConfirmRecovery(otherManagerA, clerkRecovered)).toBe(true);
    expect(canConfirmRecovery(managerB, clerkRecovered)).toBe(false);
    expect(canConfirmRecovery(foreignDpo, clerkRecovered)).toBe(false);
    expect(canConfirmRecovery(managerA, { ...clerkRecovered, userId: managerA.id })).toBe(false);
    expect(canConfirmRecovery(dpo, { ...clerkRecovered, recoveredBy: [dpo.id] })).toBe(false);
    expect(canConfirmRecovery(coordinator, clerkRecovered)).toBe(false);
  });

  it("shows the DPO the region's waiting recoveries and a manager their commune's", () => {
    expect(canSeeRecovery(dpo, clerkRecovered)).toBe(true);
    expect(canSeeRecovery(managerB, clerkRecovered)).toBe(false);
    expect(canSeeRecovery(foreignDpo, clerkRecovered)).toBe(false);
  });
});
