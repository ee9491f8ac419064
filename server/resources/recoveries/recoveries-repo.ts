import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { preparedOnce, type Executor } from '../../db/client';
import { alias } from 'drizzle-orm/pg-core';
import { accountRecoveries, communes, users } from '../../db/schema';

const LATEST = 'latest_recovery';
const latestOf = alias(accountRecoveries, LATEST);

export type RecoveryMethod = (typeof accountRecoveries.$inferInsert)['method'];

/** Records that `recoveredBy` gave someone a way into `userId`'s account: it stays barred until confirmed. */
export async function insertRecovery(
  db: Executor,
  recovery: { userId: string; method: RecoveryMethod; recoveredBy: string },
): Promise<void> {
  await db.insert(accountRecoveries).values(recovery);
}

const recoverer = sql<string>`(select ${users.displayName} from ${users} where ${users.id} = ${accountRecoveries.recoveredBy})`;
const confirmer = sql<
  string | null
>`(select ${users.displayName} from ${users} where ${users.id} = ${accountRecoveries.confirmedBy})`;

/** The latest recovery of an account, with who did it and who confirmed it. */
export async function latestRecovery(db: Executor, userId: string) {
  const [row] = await db
    .select({
      id: accountRecoveries.id,
      method: accountRecoveries.method,
      recoveredBy: accountRecoveries.recoveredBy,
      recoveredByName: recoverer,
      recoveredAt: accountRecoveries.recoveredAt,
      confirmedByName: confirmer,
      confirmedAt: accountRecoveries.confirmedAt,
      seenAt: accountRecoveries.seenAt,
    })
    .from(accountRecoveries)
    .where(eq(accountRecoveries.userId, userId))
    .orderBy(desc(accountRecoveries.recoveredAt))
    .limit(1);
  return row;
}

/**
 * What `GET /me` shows beside the actor, in one round trip: the account's language and e-mail, and
 * its latest recovery (none when it was never recovered). Prepared: the browser asks for it on every
 * page load.
 */
const preferencesAndRecovery = preparedOnce((db: Executor) =>
  db
    .select({
      locale: users.locale,
      email: users.email,
      recovery: {
        id: accountRecoveries.id,
        method: accountRecoveries.method,
        recoveredByName: recoverer,
        recoveredAt: accountRecoveries.recoveredAt,
        confirmedByName: confirmer,
        confirmedAt: accountRecoveries.confirmedAt,
      },
    })
    .from(users)
    .leftJoin(
      accountRecoveries,
      eq(
        accountRecoveries.id,
        sql`(select ${latestOf.id} from ${accountRecoveries} ${sql.identifier(LATEST)} where ${latestOf.userId} = ${users.id}
          order by ${latestOf.recoveredAt} desc limit 1)`,
      ),
    )
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('entraide_account_preferences'),
);

export async function accountPreferencesAndRecovery(db: Executor, userId: string) {
  const [row] = await preferencesAndRecovery(db).execute({ userId });
  return row;
}

export async function markRecoverySeen(db: Executor, id: string): Promise<void> {
  await db
    .update(accountRecoveries)
    .set({ seenAt: sql`now()` })
    .where(and(eq(accountRecoveries.id, id), isNull(accountRecoveries.seenAt)));
}

/** The unconfirmed recoveries of a region's accounts, with the account's commune. */
export async function pendingRecoveries(db: Executor, regionId: string) {
  return db
    .select({
      id: accountRecoveries.id,
      userId: accountRecoveries.userId,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      communeId: users.communeId,
      method: accountRecoveries.method,
      recoveredBy: accountRecoveries.recoveredBy,
      recoveredByName: recoverer,
      recoveredAt: accountRecoveries.recoveredAt,
    })
    .from(accountRecoveries)
    .innerJoin(users, eq(users.id, accountRecoveries.userId))
    .leftJoin(communes, eq(communes.id, users.communeId))
    .where(
      and(isNull(accountRecoveries.confirmedAt), sql`coalesce(${communes.regionId}, ${users.regionId}) = ${regionId}`),
    )
    .orderBy(desc(accountRecoveries.recoveredAt))
    .limit(500);
}

/** A recovery with its account's commune and region, and who gave every unconfirmed recovery of that account. */
export async function findRecovery(db: Executor, id: string) {
  const pending = db
    .$with('pending')
    .as(
      db
        .select({ userId: accountRecoveries.userId, by: accountRecoveries.recoveredBy })
        .from(accountRecoveries)
        .where(isNull(accountRecoveries.confirmedAt)),
    );
  const [row] = await db
    .with(pending)
    .select({
      id: accountRecoveries.id,
      userId: accountRecoveries.userId,
      confirmedAt: accountRecoveries.confirmedAt,
      communeId: users.communeId,
      regionId: sql<string | null>`coalesce(${communes.regionId}, ${users.regionId})`,
      recoveredBy: sql<string[]>`coalesce((select array_agg(${pending.by}) from ${pending}
        where ${pending.userId} = ${accountRecoveries.userId}), '{}')`,
    })
    .from(accountRecoveries)
    .innerJoin(users, eq(users.id, accountRecoveries.userId))
    .leftJoin(communes, eq(communes.id, users.communeId))
    .where(eq(accountRecoveries.id, id));
  return row;
}

/**
 * Confirms every unconfirmed recovery of the account (the latest being the one asked about): one
 * conditional write, so that two confirmations cannot both count, nor one race a new recovery.
 */
export async function confirmRecoveries(db: Executor, userId: string, confirmedBy: string): Promise<number> {
  const rows = await db
    .update(accountRecoveries)
    .set({ confirmedBy, confirmedAt: sql`now()` })
    .where(and(eq(accountRecoveries.userId, userId), isNull(accountRecoveries.confirmedAt)))
    .returning({ id: accountRecoveries.id });
  return rows.length;
}
