import type { DataProtectionSettings } from '../../../../shared/schemas';
import { draftOf, formField, prepareUpdate, serverProblems } from './settings-draft';

const settings = (over: Partial<DataProtectionSettings> = {}): DataProtectionSettings => ({
  regionId: '11111111-1111-4111-8111-111111111111',
  citizenRetentionDays: 30,
  defaultRetentionDays: 30,
  regional: false,
  legalBases: [
    {
      taskType: 'certificat_residence',
      labelFr: 'Certificat',
      labelEn: 'Certificate',
      fr: 'Base',
      en: 'Basis',
      regional: false,
    },
    {
      taskType: 'rdv_passeport',
      labelFr: 'Passeport',
      labelEn: 'Passport',
      fr: 'Région',
      en: 'Region',
      regional: true,
    },
  ],
  ...over,
});

describe('the data protection settings form', () => {
  it('starts from the settings as they are', () => {
    expect(draftOf(settings())).toEqual({
      useDefault: true,
      days: '30',
      bases: [
        { taskType: 'certificat_residence', fr: 'Base', en: 'Basis', usePlatform: true },
        { taskType: 'rdv_passeport', fr: 'Région', en: 'Region', usePlatform: false },
      ],
    });
  });

  it('sends nothing when nothing changed', () => {
    expect(prepareUpdate(settings(), draftOf(settings()))).toEqual({ kind: 'nothing' });
    const regional = settings({ citizenRetentionDays: 90, regional: true });
    expect(prepareUpdate(regional, { ...draftOf(regional), days: ' 90 ' })).toEqual({ kind: 'nothing' });
  });

  it('sends the retention days set, or null to go back to the default', () => {
    const s = settings();
    expect(prepareUpdate(s, { ...draftOf(s), useDefault: false, days: '90' })).toEqual({
      kind: 'ready',
      update: { citizenRetentionDays: 90 },
      basisAt: [],
    });
    const regional = settings({ citizenRetentionDays: 90, regional: true });
    expect(prepareUpdate(regional, { ...draftOf(regional), useDefault: true })).toMatchObject({
      kind: 'ready',
      update: { citizenRetentionDays: null },
    });
  });

  it('finds a bad number of days before anything is sent, as the server would', () => {
    const s = settings();
    const days = (value: string) => prepareUpdate(s, { ...draftOf(s), useDefault: false, days: value });
    expect(days('0')).toEqual({
      kind: 'invalid',
      problems: { citizenRetentionDays: expect.objectContaining({ code: 'too_small', params: { min: 1 } }) },
    });
    expect(days('3651')).toEqual({
      kind: 'invalid',
      problems: { citizenRetentionDays: expect.objectContaining({ code: 'too_large', params: { max: 3650 } }) },
    });
    expect(days('2.5')).toEqual({
      kind: 'invalid',
      problems: { citizenRetentionDays: expect.objectContaining({ code: 'not_whole' }) },
    });
    expect(days('')).toEqual({
      kind: 'invalid',
      problems: { citizenRetentionDays: expect.objectContaining({ code: 'required' }) },
    });
  });

  it('sends the legal bases reworded, and those going back to the platform’s, by task type', () => {
    const s = settings();
    const draft = draftOf(s);
    const [residence, passport] = draft.bases;
    if (!residence || !passport) throw new Error('two bases expected');
    const changed = {
      ...draft,
      bases: [
        { ...residence, usePlatform: false, fr: 'Nouvelle base', en: 'New basis' },
        { ...passport, usePlatform: true },
      ],
    };
    expect(prepareUpdate(s, changed)).toEqual({
      kind: 'ready',
      update: {
        legalBases: [
          { taskType: 'certificat_residence', fr: 'Nouvelle base', en: 'New basis' },
          { taskType: 'rdv_passeport' },
        ],
      },
      basisAt: ['certificat_residence', 'rdv_passeport'],
    });
    // Unticking "the platform's text" without rewording it changes nothing.
    expect(prepareUpdate(s, { ...draft, bases: [{ ...residence, usePlatform: false }, passport] })).toEqual({
      kind: 'nothing',
    });
  });

  it('places the problems of a legal basis on its task type’s fields, found here or by the server', () => {
    const s = settings();
    const draft = draftOf(s);
    const [residence, passport] = draft.bases;
    if (!residence || !passport) throw new Error('two bases expected');
    const blank = { ...draft, bases: [residence, { ...passport, en: '  ' }] };
    expect(prepareUpdate(s, blank)).toEqual({
      kind: 'invalid',
      problems: { 'legalBases.rdv_passeport.en': expect.objectContaining({ code: 'required' }) },
    });
    expect(formField('legalBases.1.fr', ['a', 'b'])).toBe('legalBases.b.fr');
    expect(formField('legalBases.7.fr', ['a'])).toBe('legalBases.7.fr');
    expect(formField('citizenRetentionDays', [])).toBe('citizenRetentionDays');
    expect(
      serverProblems(
        [{ field: 'legalBases.0.en', message: 'is required with the other language', code: 'required' }],
        ['rdv_passeport'],
      ),
    ).toEqual({
      'legalBases.rdv_passeport.en': {
        field: 'legalBases.0.en',
        message: 'is required with the other language',
        code: 'required',
      },
    });
  });
});
