import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { communes, integrationTokens, regions, users, type IntegrationTokenRow } from '../../db/schema';

const listed = {
  token: integrationTokens,
  communeName: communes.name,
  regionId: communes.regionId,
  createdByName: users.displayName,
};

export type ListedToken = {
  token: IntegrationTokenRow;
  communeName: string;
  regionId: string;
  createdByName: string | null;
};

export async function insertToken(
  db: Executor,
  values: typeof integrationTokens.$inferInsert,
): Promise<IntegrationTokenRow | undefined> {
  const [row] = await db.insert(integrationTokens).values(values).returning();
  return row;
}

/** Tokens with their commune's name, of one commune or of every commune, newest first. */
export async function listTokens(db: Executor, communeId?: string): Promise<ListedToken[]> {
  return db
    .select(listed)
    .from(integrationTokens)
    .innerJoin(communes, eq(communes.id, integrationTokens.communeId))
    .leftJoin(users, eq(users.id, integrationTokens.createdBy))
    .where(communeId ? eq(integrationTokens.communeId, communeId) : undefined)
    .orderBy(desc(integrationTokens.createdAt), desc(integrationTokens.id));
}

export async function findToken(db: Executor, id: string): Promise<ListedToken | undefined> {
  const [row] = await db
    .select(listed)
    .from(integrationTokens)
    .innerJoin(communes, eq(communes.id, integrationTokens.communeId))
    .leftJoin(users, eq(users.id, integrationTokens.createdBy))
    .where(eq(integrationTokens.id, id));
  return row;
}

/** Revokes a token not yet revoked (true); a token revoked already is left as it was (false). */
export async function revokeToken(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(integrationTokens)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(integrationTokens.id, id), isNull(integrationTokens.revokedAt)))
    .returning({ id: integrationTokens.id });
  return rows.length > 0;
}

/** The live token with this hash, with its commune and region: what a bearer request acts as. */
export async function findLiveTokenByHash(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({
      id: integrationTokens.id,
      name: integrationTokens.name,
      communeId: communes.id,
      communeName: communes.name,
      regionId: communes.regionId,
      regionName: regions.name,
      lastUsedAt: integrationTokens.lastUsedAt,
    })
    .from(integrationTokens)
    .innerJoin(communes, eq(communes.id, integrationTokens.communeId))
    .innerJoin(regions, eq(regions.id, communes.regionId))
    .where(and(eq(integrationTokens.tokenHash, tokenHash), isNull(integrationTokens.revokedAt)));
  return row;
}

export async function touchToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(integrationTokens).set({ lastUsedAt: at }).where(eq(integrationTokens.id, id));
}

export async function tokenNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: integrationTokens.id, name: integrationTokens.name })
    .from(integrationTokens)
    .where(inArray(integrationTokens.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
