import type { User } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';

export function presentUser(actor: Actor): User {
  return {
    id: actor.id,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    active: actor.active,
    communeId: actor.communeId,
    communeName: actor.communeName,
    regionId: actor.regionId,
    regionName: actor.regionName,
  };
}
