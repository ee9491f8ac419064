import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { UserListQuery } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import type { Executor } from '../../db/client';
import { accountRecoveries, communes, regions, users, type UserRow } from '../../db/schema';

/** A user as an Actor: with their commune, and the region of that commune or their own. */
export const actorColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  active: users.active,
  communeId: users.communeId,
  communeName: communes.name,
  regionId: sql<string | null>`coalesce(${communes.regionId}, ${users.regionId})`,
  regionName: regions.name,
  citizenBarred: sql<boolean>`exists (select 1 from ${accountRecoveries} where ${accountRecoveries.userId} = ${users.id}
    and ${accountRecoveries.confirmedAt} is null)`,
  secondFactorEnabled: sql<boolean>`(${users.totpConfirmedAt} is not null)`,
  locale: users.locale,
};

function actorQuery(db: Executor) {
  return db
    .select(actorColumns)
    .from(users)
    .leftJoin(communes, eq(communes.id, users.communeId))
    .leftJoin(regions, eq(regions.id, sql`coalesce(${communes.regionId}, ${users.regionId})`));
}

export async function findActor(db: Executor, id: string): Promise<Actor | undefined> {
  const [row] = await actorQuery(db).where(eq(users.id, id));
  return row;
}

export async function findActorByUsername(db: Executor, username: string): Promise<Actor | undefined> {
  const [row] = await actorQuery(db).where(eq(users.username, username));
  return row;
}

/** `%`, `_` and `\\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The accounts that match every filter given, by username. */
export async function listActors(db: Executor, filter: UserListQuery = {}): Promise<Actor[]> {
  const pattern = filter.q ? `%${likeLiteral(filter.q)}%` : undefined;
  return actorQuery(db)
    .where(
      and(
        filter.role ? eq(users.role, filter.role) : undefined,
        filter.communeId ? eq(users.communeId, filter.communeId) : undefined,
        filter.regionId ? sql`coalesce(${communes.regionId}, ${users.regionId}) = ${filter.regionId}` : undefined,
        filter.active === undefined ? undefined : eq(users.active, filter.active),
        pattern ? or(ilike(users.username, pattern), ilike(users.displayName, pattern)) : undefined,
      ),
    )
    .orderBy(asc(users.username));
}

export async function findActorsByIds(db: Executor, ids: string[]): Promise<Actor[]> {
  if (ids.length === 0) return [];
  return actorQuery(db).where(inArray(users.id, ids));
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

export async function insertUser(db: Executor, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** A new account, unless its username is taken (then nothing is written). */
export async function insertUserIfFree(db: Executor, values: typeof users.$inferInsert): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing({ target: users.username }).returning();
  return row;
}

export async function updateUser(
  db: Executor,
  id: string,
  values: Partial<
    Pick<UserRow, 'displayName' | 'passwordHash' | 'active' | 'role' | 'communeId' | 'regionId' | 'email'>
  >,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function usernameExists(db: Executor, username: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return rows.length > 0;
}
