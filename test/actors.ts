import type { Actor } from '../server/domain/actor';

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
});
