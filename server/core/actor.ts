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
  /**
   * Someone else recovered this account (an access code, a password reset) and no second person has
   * confirmed it yet: it reaches no citizen data meanwhile (docs/decisions.md).
   */
  citizenBarred: boolean;
  /**
   * Set when an integration token (Authorization: Bearer) is asking, not a person: it acts as its
   * commune's manager but only posts tasks (the API refuses it everything else), reads no citizen
   * data (`citizenBarred`), and is recorded as the token.
   */
  integration?: { tokenId: string; name: string };
  /** The account has a confirmed TOTP second factor. */
  secondFactorEnabled: boolean;
  /** The language the user chose, if they chose one (their problems are said in it). */
  locale?: 'fr' | 'en' | null;
}

/** The user id to record for what the actor does: none for an integration token, which is not a user. */
export const actorUserId = (actor: Actor): string | null => (actor.integration ? null : actor.id);

/** The platform administrator: regions, communes, accounts and task types, never a task. */
export function isAdmin(actor: Actor): boolean {
  return actor.active && actor.role === 'admin';
}

/**
 * A manager, clerk or coordinator of a region: the people who follow its board, loads and changes.
 * Not its DPO, who audits the region without working its tasks, nor the platform's admin.
 */
export function isRegionMember(actor: Actor): actor is Actor & { regionId: string } {
  return (
    actor.active &&
    (actor.role === 'manager' || actor.role === 'clerk' || actor.role === 'coordinator') &&
    actor.regionId !== null
  );
}

/** The roles that must have a second factor where REQUIRE_SECOND_FACTOR is on: they oversee a region or the platform. */
export function roleRequiresSecondFactor(role: Role): boolean {
  return role === 'coordinator' || role === 'admin' || role === 'dpo';
}

/**
 * The actor must enrol a second factor before anything but their own account, their enrolment and
 * signing out answers them (REQUIRE_SECOND_FACTOR, docs/decisions.md).
 */
export function mustEnrolSecondFactor(actor: Actor, required: boolean): boolean {
  return required && roleRequiresSecondFactor(actor.role) && !actor.secondFactorEnabled;
}
