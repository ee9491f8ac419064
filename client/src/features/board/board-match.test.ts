import { generateTaskCode } from '../../../../shared/task-code';
import {
  boardFilters,
  codeInSearch,
  compareTasks,
  emptyBoardQuery,
  matchesBoard,
  type TypeLabels,
} from './board-match';
import { boardTask } from './board-fixtures';

const labels: TypeLabels = new Map([
  ['certificat_residence', { fr: 'Certificat de résidence', en: 'Residence certificate' }],
]);

describe('the board match predicate', () => {
  it('takes every task when nothing is asked', () => {
    expect(matchesBoard(boardTask(), emptyBoardQuery, labels)).toBe(true);
  });

  it('selects by type, commune, priority and overdue, each on its own', () => {
    const task = boardTask({ type: 'certificat_residence', priority: 'urgent', overdue: true });
    const q = emptyBoardQuery;
    expect(matchesBoard(task, { ...q, type: 'certificat_residence' }, labels)).toBe(true);
    expect(matchesBoard(task, { ...q, type: 'autre' }, labels)).toBe(false);
    expect(matchesBoard(task, { ...q, commune: task.requestingCommuneId }, labels)).toBe(true);
    expect(matchesBoard(task, { ...q, commune: '10000000-0000-4000-8000-000000000009' }, labels)).toBe(false);
    expect(matchesBoard(task, { ...q, priority: 'urgent' }, labels)).toBe(true);
    expect(matchesBoard(task, { ...q, priority: 'low' }, labels)).toBe(false);
    expect(matchesBoard(task, { ...q, overdue: true }, labels)).toBe(true);
    expect(matchesBoard({ ...task, overdue: false }, { ...q, overdue: true }, labels)).toBe(false);
  });

  it('searches title, details, type labels and code as the server does: case and accents aside', () => {
    const task = boardTask({ title: 'Relevé de compteur', details: 'Rue de la Régence 12', code: 'LIE-7K3Q9' });
    const search = (q: string) => matchesBoard(task, { ...emptyBoardQuery, q }, labels);
    expect(search('RELEVE')).toBe(true);
    expect(search('régence')).toBe(true);
    expect(search('residence')).toBe(true);
    expect(search('certificate')).toBe(true);
    expect(search('lie-7k3q9')).toBe(true);
    expect(search('  compteur  ')).toBe(true);
    expect(search('passeport')).toBe(false);
  });

  it('finds a task by its code typed loosely, as the server writes it', () => {
    const code = generateTaskCode('LIE', (n) => 7 % n);
    const task = boardTask({ code });
    const loose = code.replace('-', '').toLowerCase();
    expect(matchesBoard(task, { ...emptyBoardQuery, q: loose }, labels)).toBe(true);
    expect(matchesBoard(boardTask({ code: 'SER-00000' }), { ...emptyBoardQuery, q: loose }, labels)).toBe(false);
  });

  it('sends only the filters that are set', () => {
    expect(boardFilters(emptyBoardQuery)).toEqual({});
    expect(boardFilters({ ...emptyBoardQuery, q: ' eau ', priority: 'high', overdue: true })).toEqual({
      q: 'eau',
      priority: 'high',
      overdue: true,
    });
  });
});

describe("the board's orders, as the server's", () => {
  const a = boardTask({ priority: 'low', dueAt: '2026-12-01T08:00:00.000Z', createdAt: '2026-11-27T09:00:00.000Z' });
  const b = boardTask({ priority: 'urgent', dueAt: '2026-12-02T08:00:00.000Z', createdAt: '2026-11-27T11:00:00.000Z' });
  const c = boardTask({ priority: 'urgent', dueAt: '2026-12-02T08:00:00.000Z', createdAt: '2026-11-27T11:00:00.000Z' });
  const sorted = (sort: 'due' | 'priority' | 'created') => [c, b, a].sort((x, y) => compareTasks(x, y, sort));

  it('by due date, ties by id', () => expect(sorted('due')).toEqual([a, b, c]));
  it('by priority then due date', () => expect(sorted('priority')).toEqual([b, c, a]));
  it('newest first, ties by id descending', () => expect(sorted('created')).toEqual([c, b, a]));
});

describe('a code typed in the search', () => {
  const code = generateTaskCode('LIE', (n) => 3 % n);

  it('is offered to open, in any case, with or without its dash', () => {
    expect(codeInSearch(code)).toEqual({ kind: 'valid', code });
    expect(codeInSearch(code.toLowerCase())).toEqual({ kind: 'valid', code });
    expect(codeInSearch(code.replace('-', ''))).toEqual({ kind: 'valid', code });
  });

  it('is said invalid when a character is wrong', () => {
    const last = code.charAt(8);
    const wrong = `${code.slice(0, 8)}${last === '7' ? '8' : '7'}`;
    expect(codeInSearch(wrong)).toEqual({ kind: 'invalid' });
  });

  it('leaves ordinary words alone', () => {
    expect(codeInSearch('certificat')).toBeUndefined();
    expect(codeInSearch('document')).toBeUndefined();
    expect(codeInSearch('eau')).toBeUndefined();
  });
});
