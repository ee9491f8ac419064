import { actor, cast } from '../../../test/actors';
import { canReadReports, canSeeStatement } from './reports-policy';

describe('reports policy', () => {
  it("gives the reports to the region's active coordinator only", () => {
    expect(canReadReports(cast.coordinator)).toBe(true);
    expect(canReadReports(actor('coordinator', null, 'R', false))).toBe(false);
    for (const other of [cast.managerA, cast.clerkB, cast.admin, actor('dpo', null, 'R')]) {
      expect({ role: other.role, allowed: canReadReports(other) }).toEqual({ role: other.role, allowed: false });
    }
  });

  it("shows a closed statement to its own region's coordinator, not another region's", () => {
    expect(canSeeStatement(cast.coordinator, { regionId: 'R' })).toBe(true);
    expect(canSeeStatement(cast.foreignCoordinator, { regionId: 'R' })).toBe(false);
    expect(canSeeStatement(cast.managerA, { regionId: 'R' })).toBe(false);
  });
});
