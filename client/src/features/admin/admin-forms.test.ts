import { CommuneCreate, TaskTypeCreate, UserCreate, type User } from '../../../../shared/schemas';
import { userQueryString } from '../../api/admin';
import { ApiError } from '../../api/client';
import {
  changes,
  check,
  communeInput,
  emptyCommune,
  emptyUser,
  scopeOf,
  serverProblems,
  taskTypeInput,
  typedNumber,
  userCreateInput,
  userDraft,
  userUpdateInput,
} from './admin-forms';

const regionId = '5b0c7b0e-2f6d-4f57-9d1e-0a4c2b7d9e11';
const communeId = '7c1d8c1f-3a7e-4a68-8e2f-1b5d3c8eaf22';
const clerk: User = {
  id: '9e2f9d20-4b8f-4b79-9f30-2c6e4d9fb033',
  username: 'seraing.clerk',
  displayName: 'Agent Seraing',
  role: 'clerk',
  active: true,
  communeId,
  communeName: 'Seraing',
  regionId,
  regionName: 'Liège',
};

describe('admin forms', () => {
  it('reads numbers as typed, with a decimal comma, and leaves the rest for the schema to refuse', () => {
    expect(typedNumber('50,6326')).toBe(50.6326);
    expect(typedNumber(' -5.5 ')).toBe(-5.5);
    expect(typedNumber('')).toBeUndefined();
    expect(typedNumber('5e3')).toBe('5e3');
    expect(typedNumber('nord')).toBe('nord');
  });

  it("checks a commune with the server's schema, blanks being required", () => {
    const blank = check(CommuneCreate, communeInput(emptyCommune));
    expect(blank.ok).toBe(false);
    if (!blank.ok)
      expect(Object.keys(blank.problems).sort()).toEqual(['code', 'latitude', 'longitude', 'name', 'regionId']);
    const typed = { name: 'Huy', code: '61031', regionId, latitude: '50,5189', longitude: 'est' };
    const wrong = check(CommuneCreate, communeInput(typed));
    expect(wrong.ok ? [] : Object.keys(wrong.problems)).toEqual(['longitude']);
    expect(check(CommuneCreate, communeInput({ ...typed, longitude: '5.2394' }))).toEqual({
      ok: true,
      data: { name: 'Huy', code: '61031', regionId, latitude: 50.5189, longitude: 5.2394 },
    });
  });

  it('sends only what changed', () => {
    expect(changes({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toEqual({ b: 'y' });
    expect(changes({ a: 1 }, { a: 1 })).toEqual({});
  });

  it('sends a role with the scope it takes, and a scope alone when the role stays', () => {
    expect(['manager', 'clerk', 'coordinator', 'dpo', 'admin'].map((r) => scopeOf(r as User['role']))).toEqual([
      'commune',
      'commune',
      'region',
      'region',
      'none',
    ]);
    const draft = userDraft(clerk);
    expect(draft.regionId).toBe('');
    expect(userUpdateInput(clerk, draft)).toEqual({});
    expect(userUpdateInput(clerk, { ...draft, displayName: 'Agente' })).toEqual({ displayName: 'Agente' });
    const other = '8d2e9e2a-5c9f-4c8a-8f41-3d7f5eaf0c44';
    expect(userUpdateInput(clerk, { ...draft, communeId: other })).toEqual({ communeId: other });
    expect(userUpdateInput(clerk, { ...draft, role: 'coordinator', regionId })).toEqual({
      role: 'coordinator',
      regionId,
    });
    expect(userUpdateInput(clerk, { ...draft, role: 'admin' })).toEqual({ role: 'admin' });
    // A commune chosen before the role changed to one that takes a region is not sent.
    const created = userCreateInput({ ...emptyUser, role: 'dpo', communeId, regionId, username: 'huy.dpo' });
    expect(created).toMatchObject({ role: 'dpo', regionId });
    expect(created).not.toHaveProperty('communeId');
    const refused = check(UserCreate, userCreateInput({ ...emptyUser, role: 'clerk' }));
    expect(refused.ok ? [] : Object.keys(refused.problems).sort()).toEqual(['displayName', 'password', 'username']);
  });

  it('checks a task type, its default deadline a whole number of hours', () => {
    const draft = { key: 'permis', labelFr: 'Permis', labelEn: 'Permit', category: 'document' as const };
    const fractional = check(
      TaskTypeCreate,
      taskTypeInput({ ...draft, slaHours: '2,5', legalBasisFr: '', legalBasisEn: '' }),
    );
    expect(fractional.ok ? {} : fractional.problems.slaHours?.code).toBe('not_whole');
    expect(
      check(TaskTypeCreate, taskTypeInput({ ...draft, slaHours: '72', legalBasisFr: '', legalBasisEn: '' })).ok,
    ).toBe(true);
  });

  it("puts the server's field errors beside their fields, and a taken code beside the code", () => {
    const invalid = new ApiError({
      type: 'about:blank',
      title: 'Bad request',
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'communeId', message: 'is not a known commune', code: 'invalid' }],
    });
    expect(serverProblems(invalid, 'username')).toEqual({
      communeId: { code: 'invalid', message: 'is not a known commune', params: undefined },
    });
    const taken = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, code: 'duplicate' });
    expect(serverProblems(taken, 'code')).toEqual({ code: { code: 'duplicate_id', message: 'is already used' } });
    const other = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, code: 'commune_busy' });
    expect(serverProblems(other, 'code')).toBeUndefined();
    expect(serverProblems(new Error('boom'), 'code')).toBeUndefined();
  });

  it('puts only the filters that say something in the query', () => {
    expect(userQueryString({ q: ' huy ', role: '', active: 'false' })).toBe('?q=huy&active=false');
    expect(userQueryString({})).toBe('');
  });
});
