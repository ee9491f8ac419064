import { messages } from './messages';
import { fillPlaceholders, translate } from './translate';

describe('translating a message', () => {
  it('fills every {name} placeholder, with numbers as text and a missing value as nothing', () => {
    expect(fillPlaceholders('{count} communes. {details}', { count: 3, details: 'Namur : 2' })).toBe(
      '3 communes. Namur : 2',
    );
    expect(fillPlaceholders('{a} et {a}', { a: 'x' })).toBe('x et x');
    expect(fillPlaceholders('Chiffres du {time}')).toBe('Chiffres du ');
    expect(fillPlaceholders('{ pas un nom } ni {a-b}', { a: 1 })).toBe('{ pas un nom } ni {a-b}');
    expect(fillPlaceholders('0 = {zero}', { zero: 0 })).toBe('0 = 0');
  });

  it('says a key of the catalogue in the language asked, the dashboard as the rest', () => {
    expect(translate('fr', 'dashboard.titleRegion', { region: 'Hainaut' })).toBe('Tableau de bord — Hainaut');
    expect(translate('en', 'dashboard.titleRegion', { region: 'Hainaut' })).toBe('Dashboard — Hainaut');
    expect(translate('fr', 'dashboard.mapCommune', { name: 'Mons', status: 'Normale', open: 2 })).toBe(
      'Mons : Normale, 2 en attente',
    );
    expect(translate('en', 'signedInAs', { name: 'Ada', commune: 'Mons' })).toBe('Signed in: Ada (Mons)');
    // The board and the dashboard each keep their own words under the same short name.
    expect(translate('en', 'offline')).toBe('Offline — reconnecting');
    expect(translate('en', 'dashboard.offline')).toBe('Offline — reconnecting automatically');
  });

  it('has every message in both languages, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.fr).sort());
    for (const key of Object.keys(messages.fr) as (keyof typeof messages.fr)[])
      expect([key, placeholders(messages.en[key])]).toEqual([key, placeholders(messages.fr[key])]);
  });

  it('puts no space before a colon in English (French typography), as the cards once read "Due : 27 Nov"', () => {
    const spaced = Object.entries(messages.en).filter(([, text]) => /\s[:;?!]/.test(text));
    expect(spaced).toEqual([]);
    expect(translate('en', 'dueOn')).toBe('Due:');
    expect(translate('fr', 'dueOn')).toBe('Échéance :');
  });
});
