import type { Actor } from '../../core/actor';
import { canChangeRegionSettings, canReadRegionSettings, isCoordinator } from './coordination-policy';

const region = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';

function actor(role: Actor['role'], over: Partial<Actor> = {}): Actor {
  const communal = role === 'manager' || role === 'clerk';
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    role,
    active: true,
    communeId: communal ? 'c' : null,
    communeName: communal ? 'C' : null,
    regionId: role === 'admin' ? null : region,
    regionName: role === 'admin' ? null : 'R',
    citizenBarred: false,
    secondFactorEnabled: false,
    ...over,
  };
}

describe('coordination policy', () => {
  it("lets the region's coordinator alone change its settings", () => {
    expect(canChangeRegionSettings(actor('coordinator'), region)).toBe(true);
    expect(canChangeRegionSettings(actor('coordinator'), other)).toBe(false);
    expect(canChangeRegionSettings(actor('coordinator', { active: false }), region)).toBe(false);
    for (const role of ['manager', 'clerk', 'dpo', 'admin'] as const) {
      expect(canChangeRegionSettings(actor(role), region)).toBe(false);
    }
    expect(isCoordinator(actor('clerk'))).toBe(false);
  });

  it('lets the people of the region read them, and nobody else', () => {
    for (const role of ['manager', 'clerk', 'coordinator'] as const) {
      expect(canReadRegionSettings(actor(role), region)).toBe(true);
      expect(canReadRegionSettings(actor(role), other)).toBe(false);
    }
    expect(canReadRegionSettings(actor('dpo'), region)).toBe(false);
    expect(canReadRegionSettings(actor('admin'), region)).toBe(false);
    expect(canReadRegionSettings(actor('clerk', { active: false }), region)).toBe(false);
  });
});
