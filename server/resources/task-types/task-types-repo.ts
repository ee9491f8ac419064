import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { taskTypes } from '../../db/schema';

export async function listTaskTypes(db: Executor) {
  return db.select().from(taskTypes).orderBy(asc(taskTypes.key));
}

export async function findTaskType(db: Executor, key: string) {
  const [row] = await db.select().from(taskTypes).where(eq(taskTypes.key, key));
  return row;
}

export async function insertTaskType(db: Executor, values: typeof taskTypes.$inferInsert) {
  const [row] = await db.insert(taskTypes).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateTaskType(
  db: Executor,
  key: string,
  change: Partial<Omit<typeof taskTypes.$inferInsert, 'key'>>,
) {
  // Drizzle refuses an update with nothing to set: an empty change reads the row as it is.
  if (Object.keys(change).length === 0) return findTaskType(db, key);
  const [row] = await db.update(taskTypes).set(change).where(eq(taskTypes.key, key)).returning();
  return row;
}
