import express, { Router, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { limits } from '../../shared/limits';
import { mustEnrolSecondFactor, type Actor } from '../core/actor';
import { ForbiddenError } from '../core/errors';
import { msg } from '../core/messages';
import type { DomainContext } from '../context';
import { isReply, type Endpoint } from './endpoint';
import { unauthenticated } from './guards';
import { idempotent } from './idempotency';

/** What a request with an integration token gets from any endpoint but posting tasks. */
export const integrationsOnlyPost = msg('integration_posts_only');
import { body, param, query, withIfMatch } from './validate';

/** A declaration the server will not run with. */
export class EndpointDeclarationError extends Error {}

const permissionKinds = new Set(['public', 'signed-in', 'policy']);

/**
 * Checks every declaration before anything is served: each endpoint declares who may call it
 * (public ones say so, with a reason), has a success answer, and is declared once.
 */
export function checkEndpoints(endpoints: readonly Endpoint[]): void {
  const seen = new Set<string>();
  for (const e of endpoints) {
    const name = `${e.method.toUpperCase()} ${e.path}`;
    const declared = (e as Partial<Endpoint>).permission;
    if (!declared || !permissionKinds.has(declared.kind)) {
      throw new EndpointDeclarationError(`${name} declares no permission: say who may call it.`);
    }
    if (declared.kind === 'public' && !declared.reason.trim()) {
      throw new EndpointDeclarationError(`${name} is public without saying why.`);
    }
    if (declared.kind === 'policy' && (typeof declared.allows !== 'function' || !declared.name)) {
      throw new EndpointDeclarationError(`${name} names no policy function.`);
    }
    if (!Object.keys(e.responses).some((status) => Number(status) < 300)) {
      throw new EndpointDeclarationError(`${name} declares no success answer.`);
    }
    if (e.integrations && (!e.idempotent || e.path.includes(':') || e.permission.kind === 'public'))
      throw new EndpointDeclarationError(
        `${name}: an endpoint open to integration tokens takes an Idempotency-Key, has no path parameter and is not public.`,
      );
    if (seen.has(name)) throw new EndpointDeclarationError(`${name} is declared twice.`);
    seen.add(name);
  }
}

function parseParams(e: Endpoint, req: Request): unknown {
  if (!e.params) return undefined;
  const parsed: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType> = e.params.shape;
  for (const [key, schema] of Object.entries(shape)) {
    parsed[key] = param(schema, req.params[key], schema.description ?? key);
  }
  return parsed;
}

function parseBody(e: Endpoint, req: Request): unknown {
  if (e.rawBody) return req.body;
  if (!e.body) return undefined;
  return body(e.body, e.ifMatch ? { ...req, body: withIfMatch(req) } : req);
}

/** The actor of a request that reached a non-public handler, or the 401 it gets. */
function signedIn(req: Request): Actor {
  if (!req.user) throw unauthenticated(req);
  return req.user;
}

/**
 * Runs one endpoint: the session (401), then its input (400), then its permission (403; first of all
 * a second factor, where the actor's role requires one they have not enrolled), then its handler,
 * whose result is answered as JSON with the first declared status.
 */
function handlerOf(e: Endpoint, ctx: DomainContext): RequestHandler {
  const successStatus = Number(Object.keys(e.responses)[0]);
  const { permission } = e;
  return async (req, res) => {
    const actor = permission.kind === 'public' ? undefined : signedIn(req);
    const params = parseParams(e, req);
    const q = e.query ? query(e.query, req) : undefined;
    const b = parseBody(e, req);
    if (actor && !e.beforeSecondFactor && mustEnrolSecondFactor(actor, ctx.requireSecondFactor)) {
      throw new ForbiddenError(msg('second_factor_required'), 'second_factor_required');
    }
    // A token reaches only what declares it may (POST /tasks, /tasks/bulk); the gate in front says so too.
    if (req.user?.integration && !e.integrations) throw new ForbiddenError(integrationsOnlyPost);
    if (permission.kind === 'policy' && !(actor && permission.allows(actor))) {
      throw new ForbiddenError(permission.denied);
    }
    const call: Parameters<Endpoint['handle']>[0] = {
      ctx,
      get actor() {
        return actor ?? signedIn(req);
      },
      params: params as Record<string, unknown> | undefined,
      query: q,
      body: b,
      req,
      res,
    };
    const run = async () => {
      const result = await e.handle(call);
      return { status: isReply(result) ? result.status : successStatus, body: isReply(result) ? result.body : result };
    };
    if (e.idempotent && actor) {
      const answer = await idempotent(ctx, req, actor, run);
      if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(answer.status).json(answer.body);
      return;
    }
    const { status, body } = await run();
    if (res.headersSent) return;
    if (status === 204) res.status(204).end();
    else res.status(status).json(body);
  };
}

/** The Express router of the declared endpoints; it refuses a declaration it cannot trust. */
export function buildRouter(endpoints: readonly Endpoint[], ctx: DomainContext): Router {
  checkEndpoints(endpoints);
  const router = Router();
  for (const e of endpoints) router[e.method](e.path, ...(e.before?.(ctx) ?? []), handlerOf(e, ctx));
  return router;
}

/**
 * Body parsers, mounted before the session: an endpoint with a body limit or body types of its
 * own gets its parsers first, then every other gets JSON up to the default limit.
 */
export function bodyParsers(endpoints: readonly Endpoint[]): Router {
  const router = Router();
  for (const e of endpoints) {
    if (e.bodyLimitBytes === undefined && e.otherBodies === undefined) continue;
    const limit = e.bodyLimitBytes ?? limits.jsonBodyBytes;
    const others = Object.keys(e.otherBodies ?? {}).map((type) => express.text({ type, limit }));
    router.use(e.path, express.json({ limit }), ...others);
  }
  router.use(express.json({ limit: limits.jsonBodyBytes }));
  return router;
}

/** The paths of endpoints that take CSV beside JSON. */
export const csvPaths = (endpoints: readonly Endpoint[]): string[] =>
  endpoints.filter((e) => e.otherBodies?.['text/csv']).map((e) => e.path);

/** The endpoints an integration token may call, as `METHOD path`. */
export const integrationRoutes = (endpoints: readonly Endpoint[]): string[] =>
  endpoints.filter((e) => e.integrations).map((e) => `${e.method.toUpperCase()} ${e.path}`);

/** The paths anyone may call without signing in. */
export const publicPaths = (endpoints: readonly Endpoint[]): string[] =>
  endpoints.filter((e) => e.permission.kind === 'public').map((e) => e.path);
