import { AuditFilter } from '../../../../shared/schemas';
import { schemaProblems } from '../../i18n/field-messages';
import { auditFieldMessage, auditFilterOf, emptyAuditForm } from './audit-filter';

describe('the audit trail filters', () => {
  it('leaves blank fields out and trims the ids', () => {
    expect(auditFilterOf(emptyAuditForm)).toEqual({});
    expect(
      auditFilterOf({
        ...emptyAuditForm,
        kind: 'citizen_read',
        userId: ' 11111111-1111-4111-8111-111111111111 ',
        taskId: '  ',
      }),
    ).toEqual({ kind: 'citizen_read', userId: '11111111-1111-4111-8111-111111111111' });
  });

  it('takes a period of whole days where the browser is: from the first day’s start to the last day’s end', () => {
    const filter = auditFilterOf({ ...emptyAuditForm, from: '2026-11-01', to: '2026-11-30' });
    expect(filter.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(filter.to).toBe(new Date(new Date(2026, 11, 1).getTime() - 1).toISOString());
    // One day: from its start to its end.
    const day = auditFilterOf({ ...emptyAuditForm, from: '2026-02-28', to: '2026-02-28' });
    expect(Date.parse(day.to ?? '') - Date.parse(day.from ?? '')).toBe(86_400_000 - 1);
    // What the schema (and so the server) accepts.
    expect(AuditFilter.safeParse(filter).success).toBe(true);
    expect(auditFilterOf({ ...emptyAuditForm, from: 'hier' })).toEqual({});
  });

  it('says the server’s period problems in French or English', () => {
    const problemsOf = (from: string, to: string) => {
      const filter = auditFilterOf({ ...emptyAuditForm, from, to });
      const parsed = AuditFilter.safeParse(filter);
      if (parsed.success) throw new Error('expected the period to be refused');
      const problem = schemaProblems(parsed.error, filter).to;
      if (!problem) throw new Error('expected a problem with `to`');
      return problem;
    };
    const backwards = problemsOf('2026-11-30', '2026-11-01');
    expect(auditFieldMessage('fr', backwards)).toBe('ne peut pas précéder la date de début');
    expect(auditFieldMessage('en', backwards)).toBe('must not be before the start date');
    const tooLong = problemsOf('2024-01-01', '2026-01-01');
    expect(auditFieldMessage('fr', tooLong)).toBe('doit suivre la date de début de 366 jours au plus');
    expect(auditFieldMessage('en', tooLong)).toBe('must be at most 366 days after the start date');
  });

  it('says the other problems as the catalogue does', () => {
    const uuid = {
      code: 'invalid_format' as const,
      params: { format: 'uuid' },
      message: 'must be a valid identifier (UUID)',
    };
    expect(auditFieldMessage('fr', uuid)).toBe('doit être un identifiant valide (UUID)');
    expect(auditFieldMessage('en', uuid)).toBe('must be a valid identifier (UUID)');
    const head = { code: 'invalid' as const, message: 'must be a sequence number and a hash: 123:<64 hex digits>' };
    expect(auditFieldMessage('fr', head)).toBe('doit être un numéro et une empreinte : 123:<64 chiffres hexadécimaux>');
    expect(auditFieldMessage('fr', { code: 'invalid', message: 'something new' })).toBe('something new');
  });
});
