import type { Statement } from '../../../../shared/schemas';
import { lastMonth, minutesByHelper } from './reports-logic';

describe('reports in the browser', () => {
  it('proposes the previous calendar month, across a year and a leap February', () => {
    expect(lastMonth('2026-03-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(lastMonth('2028-03-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(lastMonth('2026-01-31')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it("adds up each helping commune's minutes over the communes it helped, most first", () => {
    const line = (helper: string, helped: string, tasks: number, minutes: number) => ({
      helperCommuneId: helper,
      helperCommuneName: `Commune ${helper}`,
      helpedCommuneId: helped,
      helpedCommuneName: `Commune ${helped}`,
      taskType: 'certificat_residence',
      tasks,
      minutes,
      amountCents: 0,
    });
    const statement = {
      lines: [line('a', 'x', 2, 30), line('b', 'x', 1, 50), line('a', 'y', 1, 25)],
    } as Statement;
    expect(minutesByHelper(statement)).toEqual([
      { communeId: 'a', name: 'Commune a', tasks: 3, minutes: 55 },
      { communeId: 'b', name: 'Commune b', tasks: 1, minutes: 50 },
    ]);
  });
});
