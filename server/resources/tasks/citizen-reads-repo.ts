import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { citizenReads, users } from '../../db/schema';

/** Every read of a task's citizen data is recorded before the data leaves. */
export async function recordCitizenRead(
  db: Executor,
  read: { taskId: string; userId: string; communeId: string | null },
) {
  await db.insert(citizenReads).values(read);
}

export async function listCitizenReads(db: Executor, taskId: string) {
  return db
    .select({
      at: citizenReads.at,
      userId: citizenReads.userId,
      username: users.username,
      communeId: citizenReads.communeId,
    })
    .from(citizenReads)
    .innerJoin(users, eq(users.id, citizenReads.userId))
    .where(eq(citizenReads.taskId, taskId))
    .orderBy(desc(citizenReads.at))
    .limit(500);
}
