import type { BoardChange } from '../../../shared/schemas';
import type { SequencedEvent } from '../../db/events';
import { incidentRowFromSnapshot } from '../incidents/incidents-repo';
import { presentIncident } from '../incidents/incidents-presenter';
import { presentPublicTask } from '../tasks/tasks-presenter';
import { taskRowFromSnapshot } from '../tasks/tasks-repo';

/** A numbered event as the board sees it. Snapshots were written without citizen data. */
export function presentChange(row: SequencedEvent): BoardChange {
  const at = row.createdAt.toISOString();
  if (row.type === 'incident:updated') {
    return { type: row.type, seq: row.seq, at, incident: presentIncident(incidentRowFromSnapshot(row.snapshot)) };
  }
  return { type: row.type, seq: row.seq, at, task: presentPublicTask(taskRowFromSnapshot(row.snapshot)) };
}
