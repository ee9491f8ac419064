import { asc } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { taskTypes } from '../../db/schema';

export async function listTaskTypes(db: Executor) {
  return db.select().from(taskTypes).orderBy(asc(taskTypes.key));
}

export async function insertTaskType(db: Executor, values: typeof taskTypes.$inferInsert) {
  const [row] = await db.insert(taskTypes).values(values).onConflictDoNothing().returning();
  return row;
}
