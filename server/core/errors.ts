import type { FieldError } from '../../shared/schemas';
import { msg, say, type Text } from './messages';

/**
 * Domain errors: they know nothing of HTTP; `server/http/problem.ts` maps them to statuses and says
 * their `text` in the reader's language (`message` is its English, for logs). `code` is for programs.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(readonly text: Text) {
    super(say('en', text));
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    text: Text,
    readonly errors: FieldError[] = [],
  ) {
    super(text);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
  constructor(
    text: Text = msg('sign_in_first'),
    /** The session the request named has ended: the client says so instead of a plain sign-in form. */
    readonly expired = false,
  ) {
    super(text);
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    text: Text = msg('forbidden'),
    /** `forbidden`, or a reason a program can act on (`second_factor_required`). */
    readonly code: string = 'forbidden',
  ) {
    super(text);
  }
}

/** Also what a caller gets for a row outside their scope, so that its existence is not revealed. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly resource: string) {
    super(msg('not_found', { resource }));
  }
}

export class ConflictError extends DomainError {
  constructor(
    text: Text,
    readonly code: string = 'conflict',
    readonly current?: unknown,
  ) {
    super(text);
  }
}

/** A claim beyond the region's cap of active claims per commune. */
export class ClaimCapError extends ConflictError {
  constructor(
    readonly cap: number,
    readonly active: number,
    message: Text = msg('claim_cap', { cap, active }),
  ) {
    super(message, 'claim_cap');
  }
}

export class TooManyRequestsError extends DomainError {
  readonly code = 'too_many_requests';
  constructor(
    text: Text,
    readonly retryAfterSeconds: number,
  ) {
    super(text);
  }
}
