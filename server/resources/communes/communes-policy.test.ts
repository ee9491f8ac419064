import { actor } from '../../../test/actors';
import { canViewRegion } from './communes-policy';

describe('communes policy', () => {
  it("shows a region's communes to its people and to the admin, nobody else and nobody deactivated", () => {
    for (const a of [
      actor('manager', 'A', 'R'),
      actor('clerk', 'B', 'R'),
      actor('coordinator', null, 'R'),
      actor('admin', null, null),
    ])
      expect(canViewRegion(a, 'R')).toBe(true);
    for (const a of [actor('manager', 'Z', 'Q'), actor('coordinator', null, 'Q'), actor('clerk', 'A', 'R', false)])
      expect(canViewRegion(a, 'R')).toBe(false);
  });
});
