import type { Commune, CommuneLoad, CommuneStatus } from '../../../../shared/schemas';
import type { MessageKey } from '../../i18n/messages';

/** One commune of the region with its figures, once they are known. */
export interface Row {
  commune: Commune;
  load: CommuneLoad | undefined;
}

export type MetricKey =
  | 'open'
  | 'claimed'
  | 'inProgress'
  | 'overdue'
  | 'doneToday'
  | 'heldClaimed'
  | 'heldInProgress'
  | 'heldOverdue'
  | 'heldDoneToday'
  | 'throughput24h';

export function metric(load: CommuneLoad, key: MetricKey): number {
  switch (key) {
    case 'open':
      return load.posted.open;
    case 'claimed':
      return load.posted.claimed;
    case 'inProgress':
      return load.posted.inProgress;
    case 'overdue':
      return load.posted.overdue;
    case 'doneToday':
      return load.posted.doneToday;
    case 'heldClaimed':
      return load.held.claimed;
    case 'heldInProgress':
      return load.held.inProgress;
    case 'heldOverdue':
      return load.held.overdue;
    case 'heldDoneToday':
      return load.held.doneToday;
    case 'throughput24h':
      return load.throughput24h;
  }
}

export const postedColumns = [
  { key: 'open', label: 'dashboard.open' },
  { key: 'claimed', label: 'dashboard.claimed' },
  { key: 'inProgress', label: 'dashboard.inProgress' },
  { key: 'overdue', label: 'dashboard.overdue' },
  { key: 'doneToday', label: 'dashboard.doneToday' },
] as const satisfies readonly { key: MetricKey; label: MessageKey }[];
export const heldColumns = [
  { key: 'heldClaimed', label: 'dashboard.claimed' },
  { key: 'heldInProgress', label: 'dashboard.inProgress' },
  { key: 'heldOverdue', label: 'dashboard.overdue' },
  { key: 'heldDoneToday', label: 'dashboard.doneToday' },
] as const satisfies readonly { key: MetricKey; label: MessageKey }[];
export const allMetrics: readonly MetricKey[] = [
  ...postedColumns.map((c) => c.key),
  ...heldColumns.map((c) => c.key),
  'throughput24h',
];

export const statusOrder: Record<CommuneStatus, number> = { incident: 0, recovering: 1, normal: 2 };
