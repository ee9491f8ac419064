import crypto from 'node:crypto';
import type {
  IntegrationToken,
  IntegrationTokenCreate,
  IntegrationTokenCreated,
  IntegrationTokenList,
} from '../../../shared/schemas';
import { isAdmin, type Actor } from '../../core/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { appendAudit, byActor } from '../../db/audit';
import { transaction } from '../../db/client';
import { findCommune } from '../communes/communes-repo';
import { canManageTokenOf } from './integrations-policy';
import { findToken, insertToken, listTokens, revokeToken, type ListedToken } from './integrations-repo';
import { msg } from '../../core/messages';

export const onlyManagersAndAdminManageTokens = msg('only_managers_and_admin_manage_tokens');

/** Every token starts so, for secret scanners and for people reading a configuration file. */
export const TOKEN_PREFIX = 'entr_';

/** 32 random bytes after the prefix; only their SHA-256 is stored (they are random, so no salt or stretching). */
export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

function present({ token, communeName, createdByName }: ListedToken): IntegrationToken {
  return {
    id: token.id,
    communeId: token.communeId,
    communeName,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    createdByName,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a token for a commune: shown once, in this answer; only its hash is kept. */
export async function createToken(
  ctx: DomainContext,
  actor: Actor,
  input: IntegrationTokenCreate,
): Promise<IntegrationTokenCreated> {
  const communeId = input.communeId ?? actor.communeId;
  if (!communeId)
    throw new ValidationError(msg('token_commune_required'), [
      { field: 'communeId', message: 'is required', code: 'required' },
    ]);
  if (!isAdmin(actor) && communeId !== actor.communeId) throw new ForbiddenError(msg('manager_tokens_own_commune'));
  const commune = await findCommune(ctx.db, communeId);
  if (!commune || !canManageTokenOf(actor, commune.id)) throw new NotFoundError('commune');
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  // The token and its entry on the region's audit trail, together.
  const row = await transaction(ctx.db, async (tx) => {
    const inserted = await insertToken(tx, {
      communeId,
      name: input.name,
      prefix,
      tokenHash: hashToken(token),
      createdBy: actor.id,
      createdAt: ctx.clock.now(),
    });
    if (!inserted) throw new Error('token not created');
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'integration_token_created',
        regionId: commune.regionId,
        detail: { tokenId: inserted.id, name: inserted.name, prefix, communeId },
      }),
    );
    return inserted;
  });
  return {
    ...present({ token: row, communeName: commune.name, regionId: commune.regionId, createdByName: actor.displayName }),
    token,
  };
}

export async function listTokensFor(
  ctx: DomainContext,
  actor: Actor,
  query: { communeId?: string },
): Promise<IntegrationTokenList> {
  const communeId = isAdmin(actor) ? query.communeId : (actor.communeId ?? undefined);
  if (!isAdmin(actor) && (!communeId || (query.communeId && query.communeId !== communeId)))
    throw new ForbiddenError(msg('manager_sees_own_commune_tokens'));
  return { items: (await listTokens(ctx.db, communeId)).map(present) };
}

/** Revokes a token at once: the next request with it is refused. Revoking twice changes nothing. */
export async function revokeTokenFor(ctx: DomainContext, actor: Actor, id: string): Promise<IntegrationToken> {
  const found = await findToken(ctx.db, id);
  if (!found || !canManageTokenOf(actor, found.token.communeId)) throw new NotFoundError('token');
  await transaction(ctx.db, async (tx) => {
    if (!(await revokeToken(tx, id, actor.id, ctx.clock.now()))) return;
    await appendAudit(
      tx,
      byActor(actor, {
        kind: 'integration_token_revoked',
        regionId: found.regionId,
        detail: { tokenId: id, name: found.token.name, prefix: found.token.prefix, communeId: found.token.communeId },
      }),
    );
  });
  const after = await findToken(ctx.db, id);
  if (!after) throw new NotFoundError('token');
  return present(after);
}
