import { translate } from '../../i18n/translate';
import type { Translate } from '../../i18n/translate';
import { chainReasonText, headText } from './chain-text';

const fr: Translate = (key, values) => translate('fr', key, values);
const en: Translate = (key, values) => translate('en', key, values);

describe('the chain check in words', () => {
  it('prints a head as it is pasted back', () => {
    expect(headText({ seq: 12, hash: 'ab'.repeat(32) })).toBe(`12:${'ab'.repeat(32)}`);
  });

  it('says why a link is broken in French, and in English as the server does', () => {
    expect(chainReasonText(fr, 'number 7 is missing')).toBe('le numéro 7 manque');
    expect(chainReasonText(fr, '9 were numbered, 7 are there: the last ones are gone')).toBe(
      '9 maillons ont été numérotés, 7 sont présents : les derniers ont disparu',
    );
    expect(chainReasonText(fr, 'its content does not match its hash')).toBe(
      'son contenu ne correspond pas à son empreinte',
    );
    expect(chainReasonText(fr, 'the anchored head is no longer in the chain')).toBe(
      'la tête relevée ne se trouve plus dans la chaîne',
    );
    expect(chainReasonText(en, 'number 7 is missing')).toBe('number 7 is missing');
    expect(chainReasonText(en, 'it breaks the global chain')).toBe('it breaks the global chain');
    // A reason the browser does not know yet: the server's words.
    expect(chainReasonText(fr, 'a new reason')).toBe('a new reason');
  });
});
