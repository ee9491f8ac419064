import type { User } from '../../../../shared/schemas';

/**
 * The commune or region the header names in brackets after the user's name: none for the admin, and
 * none when the name says it already (the demo's "Coordination — Arrondissement de Liège").
 */
export function signedInScope(user: Pick<User, 'displayName' | 'communeName' | 'regionName'>): string | undefined {
  const scope = user.communeName ?? user.regionName;
  if (!scope || user.displayName.toLocaleLowerCase().includes(scope.toLocaleLowerCase())) return undefined;
  return scope;
}
