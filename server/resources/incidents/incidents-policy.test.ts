import { actor } from '../../../test/actors';
import { canManageIncident, canViewIncident, incidentAbilities, type IncidentScope } from './incidents-policy';

const incident: IncidentScope = { communeId: 'A', regionId: 'R' };
const managerA = actor('manager', 'A', 'R');
const managerB = actor('manager', 'B', 'R');
const clerkA = actor('clerk', 'A', 'R');
const coordinator = actor('coordinator', null, 'R');
const foreignCoordinator = actor('coordinator', null, 'Q');
const admin = actor('admin', null, null);

describe('incident policy', () => {
  it('lets the region see an incident, and the admin', () => {
    for (const a of [managerA, managerB, clerkA, coordinator, admin]) expect(canViewIncident(a, incident)).toBe(true);
    for (const a of [foreignCoordinator, actor('manager', 'A', 'R', false)])
      expect(canViewIncident(a, incident)).toBe(false);
  });

  it("lets the commune's manager and the region's coordinator manage it, nobody else", () => {
    expect([managerA, coordinator].map((a) => canManageIncident(a, incident))).toEqual([true, true]);
    expect(
      [managerB, clerkA, foreignCoordinator, admin, actor('manager', 'A', 'R', false)].map((a) =>
        canManageIncident(a, incident),
      ),
    ).toEqual([false, false, false, false, false]);
  });

  it('offers recovering while active and closing until closed, to those who manage it', () => {
    expect(incidentAbilities(managerA, { ...incident, status: 'active' })).toEqual({
      markRecovering: true,
      close: true,
    });
    expect(incidentAbilities(coordinator, { ...incident, status: 'recovering' })).toEqual({
      markRecovering: false,
      close: true,
    });
    expect(incidentAbilities(managerA, { ...incident, status: 'closed' })).toEqual({
      markRecovering: false,
      close: false,
    });
    expect(incidentAbilities(managerB, { ...incident, status: 'active' })).toEqual({
      markRecovering: false,
      close: false,
    });
  });
});
