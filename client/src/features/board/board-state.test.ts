import type { TaskCounts } from '../../../../shared/schemas';
import { emptyBoardQuery, type BoardQuery, type TypeLabels } from './board-match';
import { boardTask } from './board-fixtures';
import { boardReducer, initialBoardState, type BoardAction, type BoardState } from './board-state';

const labels: TypeLabels = new Map();
const counts = (over: Partial<TaskCounts> = {}): TaskCounts => ({
  open: 0,
  claimed: 0,
  in_progress: 0,
  waiting_info: 0,
  done: 0,
  cancelled: 0,
  overdue: 0,
  ...over,
});

/** A board for a query with the first page of each column given and the counts given. */
function loaded(
  query: BoardQuery,
  pages: Partial<
    Record<
      'open' | 'claimed' | 'in_progress' | 'waiting_info' | 'done',
      { items: ReturnType<typeof boardTask>[]; next?: string }
    >
  >,
  total: TaskCounts,
): BoardState {
  const actions: BoardAction[] = [
    { type: 'reset', query, generation: 1 },
    { type: 'counts', generation: 1, counts: total },
    ...(['open', 'claimed', 'in_progress', 'waiting_info', 'done'] as const).map((column): BoardAction => ({
      type: 'page',
      generation: 1,
      column,
      items: pages[column]?.items ?? [],
      nextCursor: pages[column]?.next ?? null,
      append: false,
    })),
  ];
  return actions.reduce(boardReducer, initialBoardState());
}

const due = (day: number) => `2026-12-${String(day).padStart(2, '0')}T12:00:00.000Z`;
const ids = (state: BoardState, column: 'open' | 'claimed' | 'in_progress' | 'waiting_info' | 'done') =>
  state.columns[column].items.map((t) => t.title);

describe('the board reducer', () => {
  it('inserts a new task in its sorted place within the loaded range, and counts it', () => {
    const first = boardTask({ title: 'a', dueAt: due(1) });
    const third = boardTask({ title: 'c', dueAt: due(3) });
    const state = loaded(emptyBoardQuery, { open: { items: [first, third], next: 'more' } }, counts({ open: 10 }));
    const after = boardReducer(state, {
      type: 'change',
      kind: 'created',
      task: boardTask({ title: 'b', dueAt: due(2) }),
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual(['a', 'b', 'c']);
    expect(after.counts?.open).toBe(11);
  });

  it('only counts a new task whose place lies beyond the loaded range; the next page brings it', () => {
    const state = loaded(
      emptyBoardQuery,
      { open: { items: [boardTask({ title: 'a', dueAt: due(1) })], next: 'more' } },
      counts({ open: 5 }),
    );
    const after = boardReducer(state, {
      type: 'change',
      kind: 'created',
      task: boardTask({ title: 'late', dueAt: due(20) }),
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual(['a']);
    expect(after.counts?.open).toBe(6);
  });

  it('appends it at the end of a column loaded to its end', () => {
    const state = loaded(
      emptyBoardQuery,
      { open: { items: [boardTask({ title: 'a', dueAt: due(1) })] } },
      counts({ open: 1 }),
    );
    const after = boardReducer(state, {
      type: 'change',
      kind: 'created',
      task: boardTask({ title: 'late', dueAt: due(20) }),
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual(['a', 'late']);
    expect(after.counts?.open).toBe(2);
  });

  it('moves a claimed task from one column to the other, -1 and +1', () => {
    const task = boardTask({ title: 'a', dueAt: due(1) });
    const state = loaded(
      emptyBoardQuery,
      { open: { items: [task] }, claimed: { items: [] } },
      counts({ open: 1, claimed: 0 }),
    );
    const after = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, status: 'claimed', version: 2 },
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual([]);
    expect(ids(after, 'claimed')).toEqual(['a']);
    expect(after.counts).toMatchObject({ open: 0, claimed: 1 });
    // Known before: the counts stay exact without asking the server.
    expect(after.countsStale).toBe(state.countsStale);
  });

  it('moves a task waiting on its answer to its own column and back, counts exact', () => {
    const task = boardTask({ title: 'a', dueAt: due(1), status: 'in_progress', version: 3 });
    const state = loaded(emptyBoardQuery, { in_progress: { items: [task] } }, counts({ in_progress: 1 }));
    const waiting = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, status: 'waiting_info', version: 4 },
      typeLabels: labels,
    });
    expect(ids(waiting, 'in_progress')).toEqual([]);
    expect(ids(waiting, 'waiting_info')).toEqual(['a']);
    expect(waiting.counts).toMatchObject({ in_progress: 0, waiting_info: 1 });
    const answered = boardReducer(waiting, {
      type: 'change',
      kind: 'updated',
      task: { ...task, status: 'in_progress', version: 5 },
      typeLabels: labels,
    });
    expect(ids(answered, 'waiting_info')).toEqual([]);
    expect(answered.counts).toMatchObject({ in_progress: 1, waiting_info: 0 });
    expect(answered.countsStale).toBe(state.countsStale);
  });

  it('removes a task that no longer matches the search, and uncounts it', () => {
    const task = boardTask({ title: 'Eau chaude', dueAt: due(1) });
    const query = { ...emptyBoardQuery, q: 'eau' };
    const state = loaded(query, { open: { items: [task] } }, counts({ open: 1 }));
    const after = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, title: 'Gaz', version: 2 },
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual([]);
    expect(after.counts?.open).toBe(0);
  });

  it('neither shows nor counts a new task that does not match the filters', () => {
    const state = loaded({ ...emptyBoardQuery, priority: 'urgent' }, { open: { items: [] } }, counts());
    const after = boardReducer(state, {
      type: 'change',
      kind: 'created',
      task: boardTask({ priority: 'low' }),
      typeLabels: labels,
    });
    expect(ids(after, 'open')).toEqual([]);
    expect(after.counts?.open).toBe(0);
  });

  it('applies a change twice as once (no duplicate card, no double count)', () => {
    const state = loaded(emptyBoardQuery, { open: { items: [] } }, counts());
    const task = boardTask({ title: 'once' });
    const change: BoardAction = { type: 'change', kind: 'created', task, typeLabels: labels };
    const after = boardReducer(boardReducer(state, change), change);
    expect(ids(after, 'open')).toEqual(['once']);
    expect(after.counts?.open).toBe(1);
  });

  it('ignores an older version of a task than the one it holds', () => {
    const task = boardTask({ title: 'new', version: 3, status: 'claimed' });
    const state = loaded(emptyBoardQuery, { claimed: { items: [task] } }, counts({ claimed: 1 }));
    const after = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, status: 'open', version: 2 },
      typeLabels: labels,
    });
    expect(after).toBe(state);
  });

  it('asks for the counts again when a task moves whose earlier place it never saw', () => {
    const state = loaded(emptyBoardQuery, { open: { items: [], next: 'more' } }, counts({ open: 100, claimed: 3 }));
    const after = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: boardTask({ status: 'claimed', version: 2 }),
      typeLabels: labels,
    });
    expect(after.countsStale).toBe(state.countsStale + 1);
    expect(after.counts).toEqual(state.counts);
  });

  it('appends a next page without the cards it already holds, and drops answers to an earlier query', () => {
    const a = boardTask({ title: 'a', dueAt: due(1) });
    const b = boardTask({ title: 'b', dueAt: due(2) });
    const state = loaded(emptyBoardQuery, { open: { items: [a], next: 'c1' } }, counts({ open: 2 }));
    const after = boardReducer(state, {
      type: 'page',
      generation: 1,
      column: 'open',
      items: [a, b],
      nextCursor: null,
      append: true,
    });
    expect(ids(after, 'open')).toEqual(['a', 'b']);
    expect(after.columns.open.nextCursor).toBeNull();
    const stale = boardReducer(after, {
      type: 'page',
      generation: 0,
      column: 'open',
      items: [],
      nextCursor: null,
      append: false,
    });
    expect(stale).toBe(after);
    expect(boardReducer(after, { type: 'counts', generation: 0, counts: counts() })).toBe(after);
  });

  it('keeps the abilities a task had when the live feed brings it without them', () => {
    const task = boardTask({ title: 'a' });
    const state = loaded(emptyBoardQuery, { open: { items: [task] } }, counts({ open: 1 }));
    const { abilities: _, ...live } = { ...task, title: 'a2', version: 2 };
    const after = boardReducer(state, { type: 'change', kind: 'updated', task: live, typeLabels: labels });
    expect(after.columns.open.items[0]?.abilities.claim).toBe(true);
    expect(after.columns.open.items[0]?.title).toBe('a2');
  });
});

describe('the board reducer while first pages are on their way', () => {
  const due = (day: number) => `2026-12-${String(day).padStart(2, '0')}T12:00:00.000Z`;
  const page = (
    column: 'open' | 'claimed' | 'in_progress' | 'waiting_info' | 'done',
    items: ReturnType<typeof boardTask>[],
  ): BoardAction => ({
    type: 'page',
    generation: 1,
    column,
    items,
    nextCursor: null,
    append: false,
  });

  it('does not let a page read before a live change bring the older version back', () => {
    const task = boardTask({ title: 'raced', dueAt: due(2) });
    const other = boardTask({ title: 'other', dueAt: due(1) });
    let state = boardReducer(initialBoardState(), { type: 'reset', query: emptyBoardQuery, generation: 1 });
    // Claimed live while both columns load; the open page was read before the claim.
    state = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, status: 'claimed', version: 2 },
      typeLabels: labels,
    });
    state = boardReducer(state, page('open', [other, task]));
    state = boardReducer(state, page('claimed', []));
    expect(state.columns.open.items.map((t) => t.title)).toEqual(['other']);
    expect(state.columns.claimed.items.map((t) => t.title)).toEqual(['raced']);
    expect(state.recent.size).toBe(1);
    state = boardReducer(state, page('in_progress', []));
    state = boardReducer(state, page('waiting_info', []));
    state = boardReducer(state, page('done', []));
    // Every column in: nothing more to remember.
    expect(state.recent.size).toBe(0);
  });

  it('keeps the page version when it is the newer one', () => {
    const task = boardTask({ title: 'v3', version: 3 });
    let state = boardReducer(initialBoardState(), { type: 'reset', query: emptyBoardQuery, generation: 1 });
    state = boardReducer(state, {
      type: 'change',
      kind: 'updated',
      task: { ...task, version: 2, title: 'v2' },
      typeLabels: labels,
    });
    state = boardReducer(state, page('open', [task]));
    expect(state.columns.open.items.map((t) => t.title)).toEqual(['v3']);
  });
});
