import type { Actor } from '../server/core/actor';

/** An actor for the policy unit tests: a role, its commune or region, active unless told otherwise. */
export const actor = (
  role: Actor['role'],
  communeId: string | null,
  regionId: string | null,
  active = true,
): Actor => ({
  id: `${role}-${communeId ?? regionId ?? 'x'}`,
  username: role,
  displayName: role,
  role,
  active,
  communeId,
  communeName: null,
  regionId,
  regionName: null,
  citizenBarred: false,
  secondFactorEnabled: false,
});

/** A signed-in clerk as the claim sees them (the id and commune of a user made by the factories). */
export const clerkActor = (
  user: { id: string; username: string; communeId: string | null },
  regionId: string,
): Actor => ({
  ...actor('clerk', user.communeId, regionId),
  id: user.id,
  username: user.username,
  displayName: user.username,
});

/**
 * The usual cast of the policy tests: communes A and B in region R, commune Z in region Q. Each
 * test file takes the ones it needs.
 */
export const cast = {
  managerA: actor('manager', 'A', 'R'),
  clerkB: actor('clerk', 'B', 'R'),
  coordinator: actor('coordinator', null, 'R'),
  foreignManager: actor('manager', 'Z', 'Q'),
  foreignCoordinator: actor('coordinator', null, 'Q'),
  admin: actor('admin', null, null),
  otherAdmin: { ...actor('admin', null, null), id: 'admin-2' },
};
