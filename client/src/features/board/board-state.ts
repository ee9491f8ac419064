import type { PublicTask, Task, TaskAbilities, TaskCounts } from '../../../../shared/schemas';
import {
  boardColumns,
  compareTasks,
  emptyBoardQuery,
  isBoardColumn,
  matchesBoard,
  type BoardColumn,
  type BoardQuery,
  type TypeLabels,
} from './board-match';

/** One column: the pages loaded so far, in the server's order, and where the next page starts. */
export interface ColumnState {
  items: Task[];
  /** The cursor of the next page; null once the column is loaded to its end. */
  nextCursor: string | null;
  /** No page in yet for the current query. */
  loading: boolean;
  /** A page is being fetched after the loaded ones. */
  loadingMore: boolean;
}

/**
 * The board: what it asks for, each column's loaded range, and the exact counts from the server
 * adjusted by the live changes since. `generation` tells the answers to the current query from
 * those of an earlier one still on their way.
 */
export interface BoardState {
  query: BoardQuery;
  generation: number;
  columns: Record<BoardColumn, ColumnState>;
  counts: TaskCounts | undefined;
  /** Bumped when a live change moved a task whose previous state is not on the client: the counts need reading again. */
  countsStale: number;
  /**
   * The live changes applied while a first page was on its way, each with the column it now belongs
   * in (if any): a page read before such a change must not bring back the older version, and the
   * newer one goes in its place when the page comes. Emptied once every column is in.
   */
  recent: ReadonlyMap<string, { task: Task; target: BoardColumn | undefined }>;
}

export type BoardAction =
  | { type: 'reset'; query: BoardQuery; generation: number }
  | { type: 'loadingMore'; column: BoardColumn }
  | {
      type: 'page';
      generation: number;
      column: BoardColumn;
      items: Task[];
      nextCursor: string | null;
      /** After the loaded ones (a next page), or in their place (a first page). */
      append: boolean;
    }
  | { type: 'pageFailed'; generation: number; column: BoardColumn }
  | { type: 'counts'; generation: number; counts: TaskCounts }
  /** A task as it now is: from the live feed (no abilities) or from an answer of the server (with them). */
  | { type: 'change'; kind: 'created' | 'updated'; task: PublicTask | Task; typeLabels: TypeLabels };

const noAbilities: TaskAbilities = {
  update: false,
  claim: false,
  start: false,
  complete: false,
  release: false,
  cancel: false,
  reassign: false,
  correctTime: false,
  viewCitizen: false,
  requestTransfer: false,
  ask: false,
  answer: false,
};

const emptyColumn = (): ColumnState => ({ items: [], nextCursor: null, loading: true, loadingMore: false });

const columnsOf = (make: () => ColumnState): Record<BoardColumn, ColumnState> => ({
  open: make(),
  claimed: make(),
  in_progress: make(),
  waiting_info: make(),
  done: make(),
});

export function initialBoardState(query: BoardQuery = emptyBoardQuery): BoardState {
  return {
    query,
    generation: 0,
    columns: columnsOf(emptyColumn),
    counts: undefined,
    countsStale: 0,
    recent: new Map(),
  };
}

/** Where a task is among the loaded columns, if it is. */
function findLoaded(state: BoardState, id: string): { column: BoardColumn; task: Task } | undefined {
  for (const column of boardColumns) {
    const task = state.columns[column].items.find((t) => t.id === id);
    if (task) return { column, task };
  }
  return undefined;
}

/**
 * Places a task in a column's loaded range, in the server's order: anywhere when the column is
 * loaded to its end, otherwise only before its last loaded card (further on, the next page will
 * bring it).
 */
export function insertSorted(column: ColumnState, task: Task, query: BoardQuery): Task[] {
  const items = column.items.filter((t) => t.id !== task.id);
  const at = items.findIndex((t) => compareTasks(task, t, query.sort) < 0);
  if (at === -1) return column.nextCursor === null && !column.loading ? [...items, task] : items;
  return [...items.slice(0, at), task, ...items.slice(at)];
}

function adjust(counts: TaskCounts, column: BoardColumn, by: number, overdue: boolean): TaskCounts {
  return {
    ...counts,
    [column]: Math.max(0, counts[column] + by),
    overdue: overdue ? Math.max(0, counts.overdue + by) : counts.overdue,
  };
}

export function boardReducer(state: BoardState, action: BoardAction): BoardState {
  switch (action.type) {
    case 'reset':
      return {
        query: action.query,
        generation: action.generation,
        columns: columnsOf(emptyColumn),
        counts: state.counts,
        countsStale: state.countsStale,
        recent: new Map(),
      };
    case 'loadingMore': {
      const column = state.columns[action.column];
      return { ...state, columns: { ...state.columns, [action.column]: { ...column, loadingMore: true } } };
    }
    case 'page': {
      if (action.generation !== state.generation) return state;
      const column = state.columns[action.column];
      // A task already loaded (on both pages as the order shifted), or moved to another column by the
      // live feed since this page was read, is not added again; nor a version older than one seen live.
      const seen = new Set(action.append ? column.items.map((t) => t.id) : []);
      for (const other of boardColumns)
        if (other !== action.column) for (const t of state.columns[other].items) seen.add(t.id);
      const newer = (t: Task) => (state.recent.get(t.id)?.task.version ?? 0) <= t.version;
      const fresh = action.items.filter((t) => !seen.has(t.id) && newer(t));
      const inPage = new Set(fresh.map((t) => t.id));
      let next: ColumnState = {
        items: [...(action.append ? column.items : []), ...fresh],
        nextCursor: action.nextCursor,
        loading: false,
        loadingMore: false,
      };
      // What the live feed brought for this column while the page was on its way, in its place.
      for (const { task, target } of state.recent.values())
        if (target === action.column && !inPage.has(task.id))
          next = { ...next, items: insertSorted(next, task, state.query) };
      const columns = { ...state.columns, [action.column]: next };
      const stillLoading = boardColumns.some((c) => columns[c].loading);
      return { ...state, columns, recent: stillLoading ? state.recent : new Map() };
    }
    case 'pageFailed': {
      if (action.generation !== state.generation) return state;
      const column = state.columns[action.column];
      return {
        ...state,
        columns: { ...state.columns, [action.column]: { ...column, loading: false, loadingMore: false } },
      };
    }
    case 'counts':
      return action.generation === state.generation ? { ...state, counts: action.counts } : state;
    case 'change':
      return applyChange(state, action.kind, action.task, action.typeLabels);
  }
}

function applyChange(
  state: BoardState,
  kind: 'created' | 'updated',
  incoming: PublicTask | Task,
  typeLabels: TypeLabels,
): BoardState {
  const before = findLoaded(state, incoming.id);
  // An older version than the one on the board (a page read after the change, say) changes nothing.
  const known = before?.task ?? state.recent.get(incoming.id)?.task;
  if (known && known.version > incoming.version) return state;
  const task: Task =
    'abilities' in incoming ? incoming : { ...incoming, abilities: before?.task.abilities ?? noAbilities };
  const target = isBoardColumn(task.status) && matchesBoard(task, state.query, typeLabels) ? task.status : undefined;

  const columns = { ...state.columns };
  for (const column of boardColumns) {
    const current = columns[column];
    if (column === target) columns[column] = { ...current, items: insertSorted(current, task, state.query) };
    else if (current.items.some((t) => t.id === task.id))
      columns[column] = { ...current, items: current.items.filter((t) => t.id !== task.id) };
  }

  let counts = state.counts;
  let countsStale = state.countsStale;
  if (counts) {
    if (before) {
      // It was counted in its column (it was loaded there); it is counted now where it matches.
      counts = adjust(counts, before.column, -1, before.task.overdue);
      if (target) counts = adjust(counts, target, 1, task.overdue);
    } else if (kind === 'created') {
      if (target) counts = adjust(counts, target, 1, task.overdue);
    } else {
      // Where it was counted before is not known here: the server says.
      countsStale += 1;
    }
  }
  // While a first page is on its way, it may hold this task as it was: remember it as it is.
  const recent = boardColumns.some((c) => state.columns[c].loading)
    ? new Map(state.recent).set(task.id, { task, target })
    : state.recent;
  return { ...state, columns, counts, countsStale, recent };
}
