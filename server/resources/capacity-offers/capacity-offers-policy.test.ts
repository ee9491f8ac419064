import type { Actor } from '../../core/actor';
import { canDeleteOffer, canOfferCapacity, canUpdateOffer, canViewOffer } from './capacity-offers-policy';

const actor = (role: Actor['role'], communeId: string | null, regionId: string | null): Actor => ({
  id: 'u',
  username: 'u',
  displayName: 'u',
  role,
  active: true,
  communeId,
  communeName: null,
  regionId,
  regionName: null,
  citizenBarred: false,
  secondFactorEnabled: false,
});
const offer = { regionId: 'r1', communeId: 'c1' };

describe('capacity offer policy', () => {
  it('lets only a manager with a commune offer', () => {
    expect(canOfferCapacity(actor('manager', 'c1', 'r1'))).toBe(true);
    expect(canOfferCapacity(actor('clerk', 'c1', 'r1'))).toBe(false);
    expect(canOfferCapacity(actor('coordinator', null, 'r1'))).toBe(false);
    expect(canOfferCapacity({ ...actor('manager', 'c1', 'r1'), active: false })).toBe(false);
  });

  it("shows an offer to its region's people only", () => {
    expect(canViewOffer(actor('clerk', 'c2', 'r1'), offer)).toBe(true);
    expect(canViewOffer(actor('coordinator', null, 'r1'), offer)).toBe(true);
    expect(canViewOffer(actor('manager', 'c9', 'r2'), offer)).toBe(false);
    expect(canViewOffer(actor('dpo', null, 'r1'), offer)).toBe(false);
  });

  it("lets the offering commune's managers change it, and the coordinator withdraw it", () => {
    expect(canUpdateOffer(actor('manager', 'c1', 'r1'), offer)).toBe(true);
    expect(canUpdateOffer(actor('manager', 'c2', 'r1'), offer)).toBe(false);
    expect(canUpdateOffer(actor('coordinator', null, 'r1'), offer)).toBe(false);
    expect(canDeleteOffer(actor('coordinator', null, 'r1'), offer)).toBe(true);
    expect(canDeleteOffer(actor('coordinator', null, 'r2'), offer)).toBe(false);
    expect(canDeleteOffer(actor('manager', 'c2', 'r1'), offer)).toBe(false);
  });
});
