import { Citizen, holdsNationalNumber, isValidNationalNumber, TaskCreate, TaskListQuery } from './tasks';

describe('shared task schemas', () => {
  it('checks the national register number, before and after 2000', () => {
    expect(isValidNationalNumber('85073003328')).toBe(true);
    expect(isValidNationalNumber('85073003329')).toBe(false);
    // Born in 2005: the check is over 2 followed by the first nine digits.
    const body = '050101123';
    const check = String(97 - (Number(`2${body}`) % 97)).padStart(2, '0');
    expect(isValidNationalNumber(`${body}${check}`)).toBe(true);
    expect(isValidNationalNumber('1234')).toBe(false);
    expect(Citizen.parse({ fullName: 'A', nationalNumber: '85.07.30-033.28' }).nationalNumber).toBe('85073003328');
  });

  it('refuses a national register number in free text, and lets other figures through', () => {
    for (const text of ['Pour 85.07.30-033.28 svp', 'NN 85073003328', 'né le 85 07 30 033 28']) {
      expect({ text, found: holdsNationalNumber(text) }).toEqual({ text, found: true });
    }
    for (const text of ['Tél. 04 123 45 67', 'Dossier 85073003329', 'Compte BE68539007547034', 'Réf. 123456789012']) {
      expect({ text, found: holdsNationalNumber(text) }).toEqual({ text, found: false });
    }
    const parsed = TaskCreate.safeParse({ type: 'certificat_residence', title: 'Certificat pour 85.07.30-033.28' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['title'], params: { code: 'citizen_data_in_text' } });
  });

  it('fills defaults and refuses unknown fields', () => {
    expect(TaskCreate.parse({ type: 'certificat_residence', title: ' T ' })).toMatchObject({
      title: 'T',
      priority: 'normal',
      deliveryMode: 'pickup_helper',
      details: '',
    });
    expect(TaskCreate.safeParse({ type: 'certificat_residence', title: 'T', colour: 'red' }).success).toBe(false);
  });

  it('reads a comma-separated status filter and a bounded limit', () => {
    expect(TaskListQuery.parse({ status: 'open,claimed' })).toMatchObject({ status: ['open', 'claimed'], limit: 50 });
    expect(TaskListQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(TaskListQuery.safeParse({ limit: '101' }).success).toBe(false);
  });
});
