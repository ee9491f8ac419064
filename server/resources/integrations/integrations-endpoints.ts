import { z } from 'zod';
import {
  Id,
  IntegrationToken,
  IntegrationTokenCreate,
  IntegrationTokenCreated,
  IntegrationTokenList,
  IntegrationTokenQuery,
} from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { createToken, listTokensFor, onlyManagersAndAdminManageTokens, revokeTokenFor } from './integrations';
import { canManageIntegrationTokens } from './integrations-policy';

const tag = 'integrations';
const TokenParams = z.object({ id: Id.describe('token id') });

/** The API tokens of a commune's integrations (its citizen portal), which may only post its tasks. */
export const integrationsEndpoints = [
  endpoint({
    method: 'post',
    path: '/integrations/tokens',
    tag,
    summary: "Create an API token for a commune's integration: the token is in this answer only",
    permission: permission.policy(canManageIntegrationTokens, onlyManagersAndAdminManageTokens),
    body: IntegrationTokenCreate,
    responses: {
      201: { description: 'Created: keep the token now, it is never shown again', schema: IntegrationTokenCreated },
    },
    handle: ({ ctx, actor, body }) => createToken(ctx, actor, body),
  }),

  endpoint({
    method: 'get',
    path: '/integrations/tokens',
    tag,
    summary: "A commune's API tokens (never the tokens themselves); the admin sees every commune's",
    permission: permission.policy(canManageIntegrationTokens, onlyManagersAndAdminManageTokens),
    query: IntegrationTokenQuery,
    responses: { 200: { description: 'The tokens, newest first', schema: IntegrationTokenList } },
    handle: ({ ctx, actor, query }) => listTokensFor(ctx, actor, query),
  }),

  endpoint({
    method: 'post',
    path: '/integrations/tokens/:id/revoke',
    tag,
    summary: 'Revoke an API token: the next request with it is refused',
    permission: permission.policy(canManageIntegrationTokens, onlyManagersAndAdminManageTokens),
    params: TokenParams,
    responses: { 200: { description: 'The token, revoked', schema: IntegrationToken } },
    handle: ({ ctx, actor, params }) => revokeTokenFor(ctx, actor, params.id),
  }),
];
