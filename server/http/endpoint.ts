import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../core/actor';
import type { Text } from '../core/messages';
import type { DomainContext } from '../context';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call an endpoint. Every endpoint declares one; the router refuses to start without it and
 * checks it before the handler runs, so a handler that forgets a check still cannot be reached by
 * the wrong role. Rules about one row (its region, its commune) stay in the resource's policy,
 * called by the service, which answers 404 for a row the caller may not see.
 */
export type Permission =
  /** Anyone, signed in or not; `reason` says why that is safe. */
  | { readonly kind: 'public'; readonly reason: string }
  /** Anyone signed in: the service scopes what they get to what they may see. */
  | { readonly kind: 'signed-in' }
  /** Only actors the named policy allows; the others get 403 with `denied`. */
  | {
      readonly kind: 'policy';
      readonly name: string;
      readonly allows: (actor: Actor) => boolean;
      readonly denied: Text;
    };

export const permission = {
  public: (reason: string): Permission => ({ kind: 'public', reason }),
  signedIn: { kind: 'signed-in' } as Permission,
  /** `allows` names a policy function; its name is what the OpenAPI document and the matrix test show. */
  policy: (allows: (actor: Actor) => boolean, denied: Text): Permission => ({
    kind: 'policy',
    name: allows.name,
    allows,
    denied,
  }),
};

/** What a handler is given: its input parsed by the declared schemas. */
export interface Call<P, Q, B> {
  ctx: DomainContext;
  /** The signed-in actor; reading it on a public endpoint without a session is a 401. */
  readonly actor: Actor;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

/** A handler's answer with a status of its own (a retried post answers 200, a new one 201). */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}
const replies = new WeakSet<object>();
export function reply(status: number, body: unknown): Reply {
  const answer = { status, body };
  replies.add(answer);
  return answer;
}
export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && replies.has(value);

export interface ResponseSpec {
  description: string;
  /** JSON unless said otherwise. */
  schema?: z.ZodType;
  contentType?: string;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface EndpointSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> {
  method: Method;
  /** Express style, under /api/v1: `/tasks/:id/claim`. */
  path: string;
  /** The group in the OpenAPI document: the resource. */
  tag: string;
  summary: string;
  permission: Permission;
  /**
   * Also answers someone who must enrol a second factor and has not yet (REQUIRE_SECOND_FACTOR):
   * their own account and their enrolment. Every other endpoint answers them 403
   * `second_factor_required`.
   */
  beforeSecondFactor?: boolean;
  /** Path parameters; each one's description names it in a clerk's words ("task id"). */
  params?: P;
  query?: Q;
  /** The JSON body. */
  body?: B;
  /** Other body types accepted beside JSON, by content type (`text/csv` for an import). */
  otherBodies?: Record<string, z.ZodType>;
  /** The body is handed over as sent: the handler parses it itself (row by row, for an import). */
  rawBody?: boolean;
  /** The largest body accepted, when it differs from the API's default. */
  bodyLimitBytes?: number;
  /** A change made against a version: `If-Match: "<n>"` stands in for the body's `version`. */
  ifMatch?: boolean;
  /**
   * An integration's API token (`Authorization: Bearer`) may call it too; every endpoint without this
   * refuses a token with 403. The handler's actor is then the token (`actor.integration`).
   */
  integrations?: true;
  /**
   * An `Idempotency-Key` header makes a retried call answer as the first did, without doing it again
   * (http/idempotency.ts); integration tokens must send one.
   */
  idempotent?: true;
  /** Middleware run before validation (the sign-in throttles). */
  before?: (ctx: DomainContext) => RequestHandler[];
  /** The answers on success, the first one being the default status. */
  responses: Record<number, ResponseSpec>;
  /** Problem answers beyond the ones the declaration implies (400, 401, 403, 404). */
  problems?: Record<number, string>;
  /** The answer's body, or a `reply`, or nothing once it has answered itself; a promise of one of them. */
  handle(call: Call<Infer<P>, Infer<Q>, Infer<B>>): unknown;
}

/** An endpoint as the router and the OpenAPI document read it. */
export type Endpoint = EndpointSpec<z.ZodObject | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** Declares an endpoint; the types of its handler's input follow from its schemas. */
export function endpoint<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: EndpointSpec<P, Q, B>): Endpoint {
  return spec;
}

/** `/tasks/:id/claim` as OpenAPI writes it: `/tasks/{id}/claim`. */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');
