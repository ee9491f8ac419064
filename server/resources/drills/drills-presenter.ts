import { DrillReport, type Drill } from '../../../shared/schemas';
import type { DrillRow } from '../../db/schema';

export function presentDrill(row: DrillRow): Drill {
  return {
    id: row.id,
    regionId: row.regionId,
    name: row.name,
    status: row.status,
    tasksPosted: row.tasksPosted,
    durationMinutes: row.durationMinutes,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
    report: row.report === null ? null : DrillReport.parse(row.report),
  };
}
