import { AuditKind, type AuditEntry } from '../../../../shared/schemas';
import { messages, type Locale } from '../../i18n/messages';
import { translate } from '../../i18n/translate';
import { auditDetailText, namesOf, type DetailContext } from './audit-details';

const ids = {
  clerk: '11111111-1111-4111-8111-111111111111',
  coordinator: '22222222-2222-4222-8222-222222222222',
  seraing: '33333333-3333-4333-8333-333333333333',
  task: '44444444-4444-4444-8444-444444444444',
  stranger: '55555555-5555-4555-8555-555555555555',
};

function context(locale: Locale): DetailContext {
  return {
    t: (key, values) => translate(locale, key, values),
    formatDate: (iso) => `<${iso.slice(0, 10)}>`,
    userName: (id) => (id === ids.coordinator ? 'Coordinateur — Liège' : undefined),
    communeName: (id) => (id === ids.seraing ? 'Seraing' : undefined),
    taskTypeLabel: (key) => (key === 'certificat_residence' ? 'Certificat de résidence' : undefined),
  };
}

const say = (locale: Locale, kind: AuditKind, detail: Record<string, unknown> = {}) =>
  auditDetailText({ kind, detail }, context(locale));

describe('audit entries in words', () => {
  it('names every kind of entry in French and English', () => {
    for (const kind of AuditKind.options) {
      expect(messages.fr[`audit.kind.${kind}`]).toMatch(/\S/);
      expect(messages.en[`audit.kind.${kind}`]).toMatch(/\S/);
    }
  });

  it('says the details of the common kinds in words, with names and dates for the ids, never JSON', () => {
    expect(say('fr', 'citizen_read')).toBe('Données du citoyen affichées');
    expect(say('fr', 'sign_in', { method: 'password' })).toBe('avec le mot de passe');
    expect(say('en', 'sign_in', { method: 'access_code' })).toBe('with an access code');
    expect(say('fr', 'sign_in_failed', { method: 'password', knownAccount: true })).toBe('mot de passe erroné');
    expect(say('fr', 'access_code_issued', { expiresAt: '2026-11-25T10:00:00.000Z' })).toBe(
      "valable jusqu'au <2026-11-25>",
    );
    expect(say('fr', 'access_code_used', { issuedBy: ids.coordinator })).toBe('code donné par Coordinateur — Liège');
    // An id the trail shown does not name is shortened.
    expect(say('en', 'access_code_used', { issuedBy: ids.stranger })).toBe('code given by 55555555');
    expect(say('fr', 'account_created', { role: 'clerk', communeId: ids.seraing, regionId: null })).toBe(
      'rôle : Agent · commune : Seraing',
    );
    expect(say('en', 'account_created', { role: 'dpo', communeId: null, regionId: ids.stranger })).toBe(
      'role: Data protection officer · belongs to the region',
    );
    expect(say('fr', 'account_changed', { fields: ['password', 'active'] })).toBe('modifié : mot de passe, activation');
    expect(say('fr', 'account_recovered', { method: 'password_reset' })).toBe('mot de passe réinitialisé');
    expect(say('en', 'account_recovered', { method: 'access_code', by: ids.coordinator })).toBe(
      'access code, by Coordinateur — Liège',
    );
    expect(say('en', 'recovery_confirmed', { recoveries: 2 })).toBe('2 recovery(ies) confirmed');
    expect(say('en', 'account_recovered', { method: 'second_factor_reset' })).toBe('second factor reset');
    expect(say('en', 'sign_in', { method: 'password', secondFactor: 'totp' })).toBe(
      "with the password · then the authenticator app's code",
    );
    expect(say('fr', 'sign_in', { method: 'password', secondFactor: 'recovery_code' })).toBe(
      'avec le mot de passe · puis un code de secours',
    );
    expect(say('en', 'sign_in_failed', { method: 'second_factor', reason: 'replayed' })).toBe(
      'second factor code used before',
    );
    expect(say('fr', 'recovery_code_used', { left: 9 })).toBe('codes de secours restants : 9');
    expect(say('fr', 'settings_changed', { citizenRetentionDays: 90, legalBases: ['certificat_residence'] })).toBe(
      'conservation : 90 jours · bases légales : Certificat de résidence',
    );
    expect(say('en', 'settings_changed', { citizenRetentionDays: null })).toBe("retention: the platform's default");
    expect(say('fr', 'citizen_erased', { reason: 'retention' })).toBe('délai de conservation écoulé');
    expect(say('fr', 'export', { of: 'audit' })).toBe("export CSV du journal d'audit");
    expect(
      say('en', 'export', {
        of: 'audit',
        kind: 'citizen_read',
        taskId: ids.task,
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-30T22:59:59.999Z',
      }),
    ).toBe(
      'CSV export of the audit trail · filters: kind Citizen data read, task 44444444, from <2026-11-01>, until <2026-11-30>',
    );
    expect(say('fr', 'sign_out')).toBe('');
  });

  it('says details it does not know as readable pairs', () => {
    expect(say('en', 'second_factor_enrolled', { method: 'totp', backupCodes: 10, forced: false })).toBe(
      'method: totp · backupCodes: 10 · forced: no',
    );
    expect(say('fr', 'sign_in', { via: ['a', 'b'], extra: { deep: true } })).toBe('via: a, b · extra: deep: oui');
  });

  it('finds the names of the people the entries shown name, as actor or subject', () => {
    const entry = (over: Partial<AuditEntry>): AuditEntry => ({
      id: 1,
      seq: 1,
      kind: 'sign_in',
      at: '2026-11-24T10:00:00.000Z',
      actorUserId: null,
      actorName: null,
      actorCommuneId: null,
      subjectUserId: null,
      subjectName: null,
      taskId: null,
      detail: {},
      ...over,
    });
    const names = namesOf([
      entry({ actorUserId: ids.coordinator, actorName: 'Coord' }),
      entry({ subjectUserId: ids.clerk, subjectName: 'Agent' }),
    ]);
    expect(Object.fromEntries(names)).toEqual({ [ids.coordinator]: 'Coord', [ids.clerk]: 'Agent' });
  });
});
