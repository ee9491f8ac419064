import type { Me } from '../../../../shared/schemas';
import { translate, type Translate } from '../../i18n/translate';
import { recoveryBannerKey, recoveryNoticeLines, recoveryRefusal } from './recovery-text';

const fr: Translate = (key, values) => translate('fr', key, values);
const en: Translate = (key, values) => translate('en', key, values);
const date = (iso: string) => `<${iso.slice(0, 10)}>`;

const recovery: NonNullable<Me['recovery']> = {
  method: 'password_reset',
  recoveredByName: 'Administrateur',
  recoveredAt: '2026-11-24T10:00:00.000Z',
  confirmedByName: null,
  confirmedAt: null,
};

describe('what the owner of a recovered account is told', () => {
  it('says how, by whom and when, that it waits for a second person, and that citizen data is hidden meanwhile', () => {
    expect(recoveryNoticeLines(fr, date, { recovery, citizenBarred: true })).toEqual([
      'Le mot de passe de votre compte a été réinitialisé par Administrateur, le <2026-11-24>.',
      'Pas encore confirmé par une deuxième personne.',
      expect.stringContaining('Les données des citoyens restent masquées'),
      "Si vous n'avez rien demandé, prévenez-les au plus vite.",
    ]);
  });

  it('says who confirmed it, once confirmed', () => {
    const confirmed = {
      ...recovery,
      method: 'access_code' as const,
      confirmedByName: 'DPO',
      confirmedAt: '2026-11-25T09:00:00.000Z',
    };
    expect(recoveryNoticeLines(en, date, { recovery: confirmed, citizenBarred: false })).toEqual([
      'Your account was opened with an access code given by Administrateur, <2026-11-24>.',
      'Confirmed by DPO, <2026-11-25>.',
    ]);
  });

  it('is dismissed for a state: a confirmation, or a new recovery, shows it again', () => {
    const me = { id: 'u1', recovery, citizenBarred: true };
    expect(recoveryBannerKey({ id: 'u1', recovery: null, citizenBarred: false })).toBeUndefined();
    const waiting = recoveryBannerKey(me);
    const confirmed = recoveryBannerKey({
      ...me,
      citizenBarred: false,
      recovery: { ...recovery, confirmedByName: 'DPO', confirmedAt: '2026-11-25T09:00:00.000Z' },
    });
    expect(waiting).toBeDefined();
    expect(confirmed).toBeDefined();
    expect(confirmed).not.toBe(waiting);
    expect(recoveryBannerKey(me)).toBe(waiting);
  });
});

describe('a refused confirmation', () => {
  const problem = (code: string, detail: string) => ({
    type: 'about:blank',
    title: 'Refused',
    status: 403,
    code,
    detail,
  });

  it('is said as the server says it, in French too', () => {
    const gave = problem('recovery_given_by_you', 'You gave this account its way in: someone else must confirm it.');
    expect(recoveryRefusal('fr', gave)).toBe(
      "Vous avez donné à ce compte son accès : quelqu'un d'autre doit le confirmer.",
    );
    expect(recoveryRefusal('en', gave)).toBe('You gave this account its way in: someone else must confirm it.');
    const own = problem('recovery_own_account', 'Someone else must confirm the recovery of your own account.');
    expect(recoveryRefusal('en', own)).toBe('Someone else must confirm the recovery of your own account.');
    expect(recoveryRefusal('fr', own)).not.toBe(recoveryRefusal('en', own));
    const already = { ...problem('already_confirmed', 'This recovery is confirmed already.'), status: 409 };
    expect(recoveryRefusal('fr', already)).toBe('Cette récupération est déjà confirmée.');
    // Anything else through the catalogue of problems.
    const other = problem('forbidden', 'Something else.');
    expect(recoveryRefusal('en', other)).toBe('Something else.');
    expect(recoveryRefusal('fr', other)).toBe('Votre rôle ou votre commune ne permet pas cette action.');
  });
});
