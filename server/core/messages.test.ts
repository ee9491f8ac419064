import { ConflictError, NotFoundError } from './errors';
import { adminMessages } from './message-catalogue-admin';
import { taskMessages } from './message-catalogue-tasks';
import { catalogue, generalMessages } from './message-catalogue';
import { msg, preferredLocale, say } from './messages';

describe('the languages of the API', () => {
  it('reads the preferred one of ours from Accept-Language: the highest weight, then the first', () => {
    expect(preferredLocale(undefined)).toBeUndefined();
    expect(preferredLocale('')).toBeUndefined();
    expect(preferredLocale('fr-BE,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(preferredLocale('en-US,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(preferredLocale('nl-BE, fr;q=0.5, en;q=0.7')).toBe('en');
    expect(preferredLocale('de, en;q=0')).toBeUndefined();
    expect(preferredLocale('*')).toBeUndefined();
    expect(preferredLocale('FR')).toBe('fr');
    expect(preferredLocale('french')).toBeUndefined();
  });

  it('says a catalogued message in either language, and leaves English words not yet catalogued as they are', () => {
    const lost = msg('already_claimed', { holder: 'Seraing' });
    expect(say('en', lost)).toBe('Seraing claimed this task first.');
    expect(say('fr', lost)).toBe('Seraing a pris cette tâche en charge en premier.');
    expect(say('fr', 'Plain English.')).toBe('Plain English.');
    expect(say('fr', msg('invalid_transition', { status: 'in_progress', action: 'cancel' }))).toBe(
      'Cette tâche est en cours : elle ne peut pas être annulée maintenant.',
    );
  });

  it('gives a domain error its English as its message, for logs, and keeps the words to say them again', () => {
    const err = new NotFoundError('task type');
    expect(err.message).toBe('This task type does not exist or is not visible to you.');
    expect(say('fr', err.text)).toBe('Ce type de tâche n’existe pas ou ne vous est pas visible.');
    expect(new ConflictError('Already there.', 'duplicate').message).toBe('Already there.');
  });

  it('gives each key one meaning: no section of the catalogue overrides another', () => {
    const all = [generalMessages, taskMessages, adminMessages].flatMap((section) => Object.keys(section));
    expect(all.filter((key, i) => all.indexOf(key) !== i)).toEqual([]);
    expect(Object.keys(catalogue)).toHaveLength(all.length);
  });
});
