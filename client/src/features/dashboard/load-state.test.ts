import type { CommuneLoad } from '../../../../shared/schemas';
import { loadReducer, noLoads, type LoadState } from './load-state';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function load(communeId: string, at: string, figures: { open?: number; claimed?: number; held?: number } = {}) {
  const value: CommuneLoad = {
    communeId,
    posted: {
      open: figures.open ?? 0,
      claimed: figures.claimed ?? 0,
      inProgress: 0,
      waitingInfo: 0,
      overdue: 0,
      doneToday: 0,
    },
    held: { claimed: figures.held ?? 0, inProgress: 0, waitingInfo: 0, overdue: 0, doneToday: 0 },
    throughput24h: 0,
    at,
  };
  return value;
}

const merge = (state: LoadState, items: CommuneLoad[], live: boolean) =>
  loadReducer(state, { type: 'merge', items, live });

describe('the dashboard load state', () => {
  it('takes the figures of a REST answer as they are, highlighting nothing', () => {
    const state = merge(
      noLoads,
      [load(A, '2026-01-01T10:00:00Z', { open: 2 }), load(B, '2026-01-01T10:00:00Z')],
      false,
    );
    expect([...state.loads.keys()].sort()).toEqual([A, B]);
    expect(state.loads.get(A)?.posted.open).toBe(2);
    expect(state.changed.size).toBe(0);
    expect(state.generation).toBe(0);
  });

  it('keeps the most recently computed figures when a REST answer and a broadcast cross', () => {
    const newer = merge(noLoads, [load(A, '2026-01-01T10:00:05Z', { open: 3 })], true);
    const crossed = merge(newer, [load(A, '2026-01-01T10:00:00Z', { open: 1 })], false);
    expect(crossed.loads.get(A)?.posted.open).toBe(3);
    const later = merge(crossed, [load(A, '2026-01-01T10:00:09Z', { open: 4 })], false);
    expect(later.loads.get(A)?.posted.open).toBe(4);
    // Figures computed at the same moment replace the known ones.
    const same = merge(later, [load(A, '2026-01-01T10:00:09Z', { open: 5 })], false);
    expect(same.loads.get(A)?.posted.open).toBe(5);
  });

  it('marks exactly the figures a live update changed, and starts a new highlight', () => {
    const before = merge(
      noLoads,
      [load(A, '2026-01-01T10:00:00Z', { open: 2 }), load(B, '2026-01-01T10:00:00Z')],
      false,
    );
    const after = merge(
      before,
      [load(A, '2026-01-01T10:00:01Z', { open: 1, claimed: 1 }), load(B, '2026-01-01T10:00:01Z', { held: 1 })],
      true,
    );
    expect([...after.changed].sort()).toEqual([`${A}.claimed`, `${A}.open`, `${B}.heldClaimed`].sort());
    expect(after.generation).toBe(1);
  });

  it('marks nothing for a REST reload, a new commune or a live update that changes no figure', () => {
    const first = merge(noLoads, [load(A, '2026-01-01T10:00:00Z', { open: 2 })], false);
    const reloaded = merge(first, [load(A, '2026-01-01T10:00:01Z', { open: 7 })], false);
    expect(reloaded.changed.size).toBe(0);
    expect(reloaded.loads.get(A)?.posted.open).toBe(7);
    const newcomer = merge(reloaded, [load(B, '2026-01-01T10:00:02Z', { open: 1 })], true);
    expect(newcomer.changed.size).toBe(0);
    const unchanged = merge(newcomer, [load(A, '2026-01-01T10:00:03Z', { open: 7 })], true);
    expect(unchanged.changed.size).toBe(0);
    expect(unchanged.generation).toBe(0);
  });

  it('keeps a running highlight through a REST reload', () => {
    const first = merge(noLoads, [load(A, '2026-01-01T10:00:00Z', { open: 2 })], false);
    const live = merge(first, [load(A, '2026-01-01T10:00:01Z', { open: 1 })], true);
    const reloaded = merge(live, [load(A, '2026-01-01T10:00:02Z', { open: 1 })], false);
    expect([...reloaded.changed]).toEqual([`${A}.open`]);
    expect(reloaded.generation).toBe(1);
  });

  it('settles the highlight of the latest live update only', () => {
    const first = merge(noLoads, [load(A, '2026-01-01T10:00:00Z', { open: 2 })], false);
    const one = merge(first, [load(A, '2026-01-01T10:00:01Z', { open: 1 })], true);
    const two = merge(one, [load(A, '2026-01-01T10:00:02Z', { open: 1, claimed: 1 })], true);
    expect(two.generation).toBe(2);
    // The timer of the first update fires late: the second one's highlight stays.
    expect(loadReducer(two, { type: 'settle', generation: 1 })).toBe(two);
    const settled = loadReducer(two, { type: 'settle', generation: 2 });
    expect(settled.changed.size).toBe(0);
    expect(settled.loads).toBe(two.loads);
  });
});
