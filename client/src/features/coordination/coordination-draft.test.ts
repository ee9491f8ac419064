import type { RegionSettings } from '../../../../shared/schemas';
import { draftOf, prepareUpdate } from './coordination-draft';

const defaults: RegionSettings = {
  regionId: '00000000-0000-4000-8000-000000000001',
  maxActiveClaimsPerCommune: 50,
  transferTimeoutMinutes: 120,
  staleClaimHours: 24,
  remindAfterHours: 4,
  regional: [],
  canChange: true,
  history: [],
};

describe('the coordination settings form', () => {
  it('sends nothing when nothing changed', () => {
    expect(prepareUpdate(defaults, draftOf(defaults))).toEqual({ kind: 'nothing' });
  });

  it('sends what was typed, even the default value typed by hand (the region then sets it)', () => {
    const draft = draftOf(defaults);
    draft.maxActiveClaimsPerCommune = { value: ' 80 ', useDefault: false };
    draft.remindAfterHours = { value: '4', useDefault: false };
    expect(prepareUpdate(defaults, draft)).toEqual({
      kind: 'ready',
      update: { maxActiveClaimsPerCommune: 80, remindAfterHours: 4 },
    });
  });

  it('sends null for a regional setting put back to its default, and leaves an unchanged one out', () => {
    const settings: RegionSettings = {
      ...defaults,
      maxActiveClaimsPerCommune: 80,
      staleClaimHours: 12,
      regional: ['maxActiveClaimsPerCommune', 'staleClaimHours'],
    };
    const draft = draftOf(settings);
    expect(draft.staleClaimHours).toEqual({ value: '12', useDefault: false });
    draft.maxActiveClaimsPerCommune = { value: '80', useDefault: true };
    expect(prepareUpdate(settings, draft)).toEqual({ kind: 'ready', update: { maxActiveClaimsPerCommune: null } });
  });

  it('refuses what the server would refuse, by field, with the same words', () => {
    const draft = draftOf(defaults);
    draft.staleClaimHours = { value: '721', useDefault: false };
    draft.transferTimeoutMinutes = { value: '2,5', useDefault: false };
    const prepared = prepareUpdate(defaults, draft);
    expect(prepared.kind).toBe('invalid');
    if (prepared.kind !== 'invalid') return;
    expect(prepared.problems.staleClaimHours?.message).toBe('must be a whole number of hours from 1 to 720');
    expect(prepared.problems.transferTimeoutMinutes?.message).toBe('must be a whole number of minutes from 5 to 10080');
    draft.staleClaimHours = { value: '', useDefault: false };
    expect(prepareUpdate(defaults, draft)).toMatchObject({
      kind: 'invalid',
      problems: { staleClaimHours: { code: 'required' } },
    });
  });
});
