import { Drill, DrillList, type DrillCreateInput } from '../../../shared/schemas';
import { call, json } from './client';

/** Drills (exercises) of the region: the running one, the history, start and end (docs/drills.md). */
export const drillsApi = {
  list: () => call(DrillList, '/drills'),
  get: (id: string) => call(Drill, `/drills/${id}`),
  start: (body: DrillCreateInput) => call(Drill, '/drills', json(body)),
  end: (id: string) => call(Drill, `/drills/${id}/end`, json({})),
};
