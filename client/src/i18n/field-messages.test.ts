import { TaskCreate } from '../../../shared/schemas';
import { fieldMessage, schemaProblems } from './field-messages';

describe('field errors in the interface language', () => {
  it('says what the shared schema finds wrong in French or English, following the user', () => {
    const input = {
      type: 'certificat_residence',
      title: '',
      priority: 'asap',
      dueAt: 'demain',
      citizen: { fullName: 'A', nationalNumber: '12345678901' },
    };
    const parsed = TaskCreate.safeParse(input);
    if (parsed.success) throw new Error('expected the input to be refused');
    const problems = schemaProblems(parsed.error, input);
    const say = (locale: 'fr' | 'en') =>
      Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, fieldMessage(locale, p)]));
    expect(say('fr')).toEqual({
      title: 'est obligatoire',
      priority: 'doit être une de ces valeurs : urgent, high, normal, low',
      dueAt: 'doit être une date et une heure ISO 8601, par ex. 2026-11-24T17:00:00Z',
      'citizen.nationalNumber': 'doit être un numéro de registre national valide (11 chiffres)',
    });
    // English has the schema's own words.
    expect(say('en')).toEqual({
      title: 'is required',
      priority: 'must be urgent, high, normal or low',
      dueAt: 'must be a date and time in ISO 8601 format, e.g. 2026-11-24T17:00:00Z',
      'citizen.nationalNumber': 'must be a valid national register number (11 digits)',
    });
  });

  it("fills in a server error's figures, and keeps its English words in English or when it has no code of its own", () => {
    expect(
      fieldMessage('en', { code: 'too_long', params: { max: 200 }, message: 'must be at most 200 characters' }),
    ).toBe('must be at most 200 characters');
    expect(
      fieldMessage('fr', { code: 'too_long', params: { max: 200 }, message: 'must be at most 200 characters' }),
    ).toBe('doit compter au plus 200 caractères');
    expect(
      fieldMessage('fr', {
        code: 'unknown_task_type',
        params: { type: 'permis_de_voler' },
        message: 'is not a known task type (permis_de_voler)',
      }),
    ).toBe("n'est pas un type de tâche connu (permis_de_voler)");
    expect(fieldMessage('fr', { code: 'invalid', message: 'must be a commune of the same region' })).toBe(
      'must be a commune of the same region',
    );
    expect(
      fieldMessage('fr', { code: 'invalid_format', params: { format: 'ipv4' }, message: 'must be an address' }),
    ).toBe('must be an address');
  });
});
