import crypto from 'node:crypto';
import { events, tasks } from '../../server/db/schema';
import type { TestApp } from './test-app';

type Status = 'open' | 'claimed' | 'in_progress' | 'done' | 'cancelled';

/** One change of a task's story: when, what, the status after it, and who holds it then. */
export interface Step {
  at: string;
  action: 'create' | 'update' | 'claim' | 'start' | 'complete' | 'release' | 'cancel' | 'reassign';
  to: Status;
  holder?: string | null;
  dueAt?: string;
}

/**
 * Writes a task and its history as the app would have (the task row as it ends, one event per step
 * with the row's snapshot), at the times given: for the reports and the burn-down, which read nothing
 * else. `updatedAt` is the last step's time unless given (the retention job moves it later, say).
 */
export async function story(
  app: TestApp,
  task: { regionId: string; communeId: string; dueAt: string; updatedAt?: string },
  steps: Step[],
) {
  const db = app.running.database.db;
  let holder: string | null = null;
  let dueAt = task.dueAt;
  let status: Status | null = null;
  const snapshots = steps.map((s) => {
    if (s.holder !== undefined) holder = s.holder;
    if (s.dueAt) dueAt = s.dueAt;
    const from = status;
    status = s.to;
    return { step: s, from, snapshot: { status: s.to, claimed_by_commune_id: holder, due_at: dueAt } };
  });
  const first = steps[0];
  const last = steps[steps.length - 1];
  if (!first || !last) throw new Error('a story has steps');
  const [row] = await db
    .insert(tasks)
    .values({
      requestingCommuneId: task.communeId,
      regionId: task.regionId,
      type: 'certificat_residence',
      // A code as any unique value: the reports and the burn-down do not read it.
      code: `RPT-${crypto.randomBytes(5).toString('hex')}`,
      title: 'Certificat',
      priority: 'normal',
      dueAt: new Date(dueAt),
      deliveryMode: 'pickup_helper',
      status: last.to,
      claimedByCommuneId: holder,
      createdAt: new Date(first.at),
      updatedAt: new Date(task.updatedAt ?? last.at),
      doneAt: last.to === 'done' ? new Date(last.at) : null,
    })
    .returning();
  if (!row) throw new Error('task not written');
  await db.insert(events).values(
    snapshots.map(({ step, from, snapshot }) => ({
      taskId: row.id,
      regionId: task.regionId,
      type: step.action === 'create' ? ('task:created' as const) : ('task:updated' as const),
      action: step.action,
      fromStatus: from,
      toStatus: step.to,
      // As the app writes it: the task's row after the change (to_jsonb), without the citizen data.
      snapshot: {
        ...snapshot,
        id: row.id,
        requesting_commune_id: task.communeId,
        region_id: task.regionId,
        created_at: first.at,
      },
      createdAt: new Date(step.at),
    })),
  );
  return row;
}
