import type { CommuneLoad } from '../../../../shared/schemas';
import { allMetrics, metric } from './load-metrics';

/** The region's loads as the dashboard holds them, with the figures a live update just changed. */
export interface LoadState {
  loads: ReadonlyMap<string, CommuneLoad>;
  /** `communeId.metric` of the figures the last live update changed. */
  changed: ReadonlySet<string>;
  /** Bumped by every live update that changed something, to time the highlight out. */
  generation: number;
}

/** New figures, from a REST answer (`live: false`) or a broadcast; or the end of a highlight. */
export type LoadAction =
  { type: 'merge'; items: CommuneLoad[]; live: boolean } | { type: 'settle'; generation: number };

export const noLoads: LoadState = { loads: new Map(), changed: new Set(), generation: 0 };

export function loadReducer(state: LoadState, action: LoadAction): LoadState {
  // A later live update owns the highlight: settling an older one must not clear it.
  if (action.type === 'settle')
    return action.generation === state.generation ? { ...state, changed: new Set<string>() } : state;
  const loads = new Map(state.loads);
  const changed = new Set<string>();
  for (const item of action.items) {
    const known = loads.get(item.communeId);
    // A REST answer and a broadcast may cross: keep the most recently computed figures.
    if (known && Date.parse(known.at) > Date.parse(item.at)) continue;
    loads.set(item.communeId, item);
    if (known && action.live)
      for (const key of allMetrics)
        if (metric(known, key) !== metric(item, key)) changed.add(`${item.communeId}.${key}`);
  }
  if (changed.size === 0) return { ...state, loads };
  return { loads, changed, generation: state.generation + 1 };
}
