import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Problem } from '../../shared/schemas';
import { say } from '../core/messages';
import { openApiPath, type Endpoint, type Permission } from './endpoint';

type OpenApiDocument = ReturnType<OpenApiGeneratorV3['generateDocument']>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

function who(permission: Permission): string {
  switch (permission.kind) {
    case 'public':
      return `Public: ${permission.reason}`;
    case 'signed-in':
      return 'Any signed-in user; rows outside their scope answer 404.';
    case 'policy':
      return `Allowed by the policy \`${permission.name}\`; anyone else gets 403.`;
  }
}

/** The problem answers an endpoint's declaration implies, and those it declares itself. */
function problemsOf(e: Endpoint): RouteConfig['responses'] {
  const problems: RouteConfig['responses'] = {};
  if (e.params || e.query || e.body || e.rawBody)
    problems[400] = problem('Invalid input, with one entry per field in `errors`');
  if (e.permission.kind !== 'public') problems[401] = problem('Not signed in');
  const refusals = [
    ...(e.permission.kind === 'policy' ? [say('en', e.permission.denied)] : []),
    ...(e.permission.kind !== 'public' && !e.beforeSecondFactor
      ? ['A coordinator, admin or DPO without a second factor, where one is required: `second_factor_required`.']
      : []),
  ];
  if (refusals.length > 0) problems[403] = problem(refusals.join(' '));
  if (e.params) problems[404] = problem('Not found, or not visible to you');
  if (e.idempotent) problems[409] = problem('The Idempotency-Key was used for another request, or is still in use');
  if (e.integrations) problems[429] = problem('Too many posts with this integration token: see Retry-After');
  for (const [status, description] of Object.entries(e.problems ?? {})) problems[Number(status)] = problem(description);
  return problems;
}

function requestOf(e: Endpoint): RouteConfig['request'] {
  const content: Record<string, { schema: z.ZodType }> = {};
  if (e.body) content['application/json'] = { schema: e.body };
  for (const [type, schema] of Object.entries(e.otherBodies ?? {})) content[type] = { schema };
  return {
    ...(e.params ? { params: e.params } : {}),
    ...(e.query ? { query: e.query as z.ZodObject } : {}),
    ...(e.idempotent
      ? {
          headers: z.object({
            'idempotency-key': z
              .string()
              .max(200)
              .optional()
              .describe('A key of your choosing for this post (a UUID): a retry with the same key is not done twice'),
          }),
        }
      : {}),
    ...(Object.keys(content).length > 0 ? { body: { content } } : {}),
  };
}

/** The OpenAPI 3 document of the declared endpoints, from the same zod schemas that validate them. */
export function buildOpenApiDocument(endpoints: readonly Endpoint[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  for (const e of endpoints) {
    const responses: RouteConfig['responses'] = {};
    for (const [status, spec] of Object.entries(e.responses)) {
      responses[Number(status)] = spec.schema
        ? {
            description: spec.description,
            content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } },
          }
        : { description: spec.description };
    }
    registry.registerPath({
      method: e.method,
      path: openApiPath(e.path),
      summary: e.summary,
      description: who(e.permission),
      tags: [e.tag],
      request: requestOf(e),
      responses: { ...responses, ...problemsOf(e) },
      ...(e.permission.kind === 'public' ? { security: [] } : {}),
      ...(e.integrations ? { security: [{ session: [] }, { integrationToken: [] }] } : {}),
      ...(e.idempotent
        ? {
            'x-idempotency-key':
              'Send an Idempotency-Key header (required with an integration token): a retry with the same key and body gets the first answer again (Idempotent-Replayed: true); the same key with another body is a 409. Keys are kept 24 hours.',
          }
        : {}),
      'x-permission': e.permission.kind === 'policy' ? e.permission.name : e.permission.kind,
    });
  }
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'entraide.sid',
    description: 'The session cookie set by POST /auth/login.',
  });
  registry.registerComponent('securitySchemes', 'integrationToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      "An integration's API token (POST /integrations/tokens), as `Authorization: Bearer entr_…`: it may only post its commune's tasks.",
  });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Entraide API',
      version: '1',
      description: [
        'Inter-municipal mutual aid broker.',
        'Sign in with POST /auth/login; the session cookie authenticates the rest.',
        'Errors are RFC 9457 problem documents.',
      ].join(' '),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ session: [] }],
  });
}
