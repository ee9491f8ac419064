import type { z } from 'zod';
import type { Commune, Role, TaskType, User } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { schemaProblems, type FieldProblem } from '../../i18n/field-messages';

/** What is wrong with each field of a form, by field name: kept as problems, so that they follow the language. */
export type Problems = Record<string, FieldProblem>;

/** A number as typed: a comma stands for the decimal point (French keyboards); blank is nothing; else the text, refused by the schema. */
export function typedNumber(raw: string): number | string | undefined {
  const text = raw.trim().replace(',', '.');
  if (text === '') return undefined;
  const n = Number(text);
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) && Number.isFinite(n) ? n : raw;
}

/** The fields of `draft` that differ from `current`. */
export function changes<T extends object>(current: T, draft: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(draft).filter(([key, value]) => current[key as keyof T] !== value),
  ) as Partial<T>;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; problems: Problems };

/** `input` checked with the shared schema, as the server will: most mistakes are shown before anything is sent. */
export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, problems: schemaProblems(parsed.error, input) };
}

/**
 * What a refused save says beside each field: the server's field errors, and a taken name, code or
 * key (409 `duplicate`) beside `uniqueField`. Nothing when the refusal is about no field.
 */
export function serverProblems(err: unknown, uniqueField: string): Problems | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.problem.code === 'duplicate') return { [uniqueField]: { code: 'duplicate_id', message: 'is already used' } };
  const errors = err.problem.errors ?? [];
  if (errors.length === 0) return undefined;
  return Object.fromEntries(errors.map((e) => [e.field, { code: e.code, params: e.params, message: e.message }]));
}

/** Which scope a role takes: a commune (manager, clerk), a region (coordinator, DPO) or none (admin). */
export function scopeOf(role: Role | ''): 'commune' | 'region' | 'none' {
  if (role === 'manager' || role === 'clerk') return 'commune';
  if (role === 'coordinator' || role === 'dpo') return 'region';
  return 'none';
}

export interface CommuneDraft {
  name: string;
  code: string;
  regionId: string;
  latitude: string;
  longitude: string;
}

export const emptyCommune: CommuneDraft = { name: '', code: '', regionId: '', latitude: '', longitude: '' };

export const communeDraft = (c: Commune): CommuneDraft => ({
  name: c.name,
  code: c.code,
  regionId: c.regionId,
  latitude: String(c.latitude),
  longitude: String(c.longitude),
});

/** The commune as the API takes it: coordinates as numbers, blanks left out (so they are "required"). */
export function communeInput(draft: CommuneDraft): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: draft.name,
    code: draft.code,
    regionId: draft.regionId || undefined,
    latitude: typedNumber(draft.latitude),
    longitude: typedNumber(draft.longitude),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

export interface UserDraft {
  username: string;
  displayName: string;
  role: Role | '';
  communeId: string;
  regionId: string;
  password: string;
}

export const emptyUser: UserDraft = {
  username: '',
  displayName: '',
  role: '',
  communeId: '',
  regionId: '',
  password: '',
};

export const userDraft = (u: User): UserDraft => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  communeId: u.communeId ?? '',
  // A manager's or clerk's region is their commune's: only a coordinator's or DPO's is their own.
  regionId: scopeOf(u.role) === 'region' ? (u.regionId ?? '') : '',
  password: '',
});

/** Only the scope the role takes: a commune, a region, or none. */
function scope(draft: UserDraft): { communeId?: string; regionId?: string } {
  const kind = scopeOf(draft.role);
  if (kind === 'commune') return { communeId: draft.communeId || undefined };
  if (kind === 'region') return { regionId: draft.regionId || undefined };
  return {};
}

export function userCreateInput(draft: UserDraft): Record<string, unknown> {
  return {
    username: draft.username,
    displayName: draft.displayName,
    role: draft.role || undefined,
    password: draft.password,
    ...scope(draft),
  };
}

/** What changed: the display name, and a new role with its scope, or a new scope for the same role. */
export function userUpdateInput(user: User, draft: UserDraft): Record<string, unknown> {
  const before = userDraft(user);
  const input: Record<string, unknown> = {};
  if (draft.displayName !== before.displayName) input.displayName = draft.displayName;
  const rescoped = draft.communeId !== before.communeId || draft.regionId !== before.regionId;
  if (draft.role !== before.role) Object.assign(input, { role: draft.role }, scope(draft));
  else if (rescoped) Object.assign(input, scope(draft));
  return input;
}

export interface TaskTypeDraft {
  key: string;
  labelFr: string;
  labelEn: string;
  category: TaskType['category'] | '';
  slaHours: string;
  legalBasisFr: string;
  legalBasisEn: string;
}

export const emptyTaskType: TaskTypeDraft = {
  key: '',
  labelFr: '',
  labelEn: '',
  category: '',
  slaHours: '',
  legalBasisFr: '',
  legalBasisEn: '',
};

export const taskTypeDraft = (ty: TaskType): TaskTypeDraft => ({ ...ty, slaHours: String(ty.slaHours) });

export function taskTypeInput(draft: TaskTypeDraft): Record<string, unknown> {
  const input: Record<string, unknown> = {
    ...draft,
    category: draft.category || undefined,
    slaHours: typedNumber(draft.slaHours),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
