import type { FieldError } from '../../shared/schemas';

/** Domain errors: they know nothing of HTTP; `server/http/problem.ts` maps them to statuses. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  constructor(message = 'Please sign in first.') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    message = 'Your role does not allow this.',
    /** `forbidden`, or a reason a program can act on (`second_factor_required`). */
    readonly code: string = 'forbidden',
  ) {
    super(message);
  }
}

/** Also what a caller gets for a row outside their scope, so that its existence is not revealed. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly resource: string) {
    super(`This ${resource} does not exist or is not visible to you.`);
  }
}

export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly code: string = 'conflict',
    readonly current?: unknown,
  ) {
    super(message);
  }
}

/** A claim beyond the region's cap of active claims per commune. */
export class ClaimCapError extends ConflictError {
  constructor(
    readonly cap: number,
    readonly active: number,
    message = `Your commune already holds ${active} active claims, and the region allows ${cap} at most: ` +
      'start, finish or release one before claiming another.',
  ) {
    super(message, 'claim_cap');
  }
}

export class TooManyRequestsError extends DomainError {
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
