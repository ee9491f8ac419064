import type { Role } from '../../shared/schemas';

/** The signed-in user as every rule sees them: role and scope, resolved once per request. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** The commune of a manager or clerk. */
  communeId: string | null;
  communeName: string | null;
  /** The region of a coordinator, or of a manager's or clerk's commune. */
  regionId: string | null;
  regionName: string | null;
}
