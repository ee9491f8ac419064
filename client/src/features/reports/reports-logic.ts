import type { Statement } from '../../../../shared/schemas';

/** The previous calendar month, as the usual period of a statement. */
export function lastMonth(today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

export interface HelperTime {
  communeId: string;
  name: string;
  tasks: number;
  minutes: number;
}

/** Minutes per helping commune, from a statement's lines, most first. */
export function minutesByHelper(statement: Statement): HelperTime[] {
  const byHelper = new Map<string, HelperTime>();
  for (const l of statement.lines) {
    const row = byHelper.get(l.helperCommuneId) ?? {
      communeId: l.helperCommuneId,
      name: l.helperCommuneName,
      tasks: 0,
      minutes: 0,
    };
    byHelper.set(l.helperCommuneId, { ...row, tasks: row.tasks + l.tasks, minutes: row.minutes + l.minutes });
  }
  return [...byHelper.values()].sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name));
}
