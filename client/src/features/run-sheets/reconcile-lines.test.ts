import { checkCharacter } from '../../../../shared/task-code';
import { batchOf, blankLine, checkLines, readyToSend } from './reconcile-lines';

const valid = (prefix: string, payload: string) => `${prefix}-${payload}${checkCharacter(prefix, payload) ?? ''}`;
const code = valid('LIE', '7K3Q');
const other = valid('LIE', '8M4R');
const wrongCheck = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;

describe('reconcile lines as typed', () => {
  it('reads a code as the server does, and tells a typing mistake from a malformed code', () => {
    expect(checkLines([{ ...blankLine(), code: code.toLowerCase().replace('-', ' ') }])).toEqual([
      { state: 'ok', code },
    ]);
    expect(checkLines([{ ...blankLine(), code: wrongCheck }])).toEqual([{ state: 'check' }]);
    expect(checkLines([{ ...blankLine(), code: 'LIE-7K3' }])).toEqual([{ state: 'malformed' }]);
    expect(checkLines([blankLine()])).toEqual([{ state: 'empty' }]);
  });

  it('finds a task named twice, I and L read alike', () => {
    const checks = checkLines([
      { ...blankLine(), code },
      { ...blankLine(), code: other },
      { ...blankLine(), code: code.toLowerCase() },
    ]);
    expect(checks[2]).toEqual({ state: 'duplicate', line: 1 });
    expect(readyToSend(checks)).toBe(false);
  });

  it('sends the typed lines only, trimmed, a blank note left out', () => {
    const lines = [
      { code: ` ${code} `, outcome: 'done' as const, note: ' Remis ' },
      blankLine(),
      { code: other, outcome: 'not_done' as const, note: '  ' },
    ];
    expect(readyToSend(checkLines(lines))).toBe(true);
    expect(batchOf(lines)).toEqual({
      request: {
        lines: [
          { code, outcome: 'done', note: 'Remis' },
          { code: other, outcome: 'not_done' },
        ],
      },
      rows: [0, 2],
    });
    expect(readyToSend(checkLines([blankLine()]))).toBe(false);
  });
});
