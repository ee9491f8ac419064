import { DataProtectionUpdate, type DataProtectionSettings, type FieldError } from '../../../../shared/schemas';
import { schemaProblems, type FieldProblem } from '../../i18n/field-messages';

/** One task type's legal basis as it is being edited. */
export interface BasisDraft {
  taskType: string;
  fr: string;
  en: string;
  /** The platform's wording: kept, or gone back to when saved. Editing the texts unticks it. */
  usePlatform: boolean;
}

/** The settings form as typed. */
export interface SettingsDraft {
  useDefault: boolean;
  days: string;
  bases: BasisDraft[];
}

export function draftOf(settings: DataProtectionSettings): SettingsDraft {
  return {
    useDefault: !settings.regional,
    days: String(settings.citizenRetentionDays),
    bases: settings.legalBases.map((b) => ({ taskType: b.taskType, fr: b.fr, en: b.en, usePlatform: !b.regional })),
  };
}

/** The form's name for a field the API names: `legalBases.<index>.fr` becomes `legalBases.<taskType>.fr`. */
export function formField(field: string, basisAt: readonly string[]): string {
  const match = /^legalBases\.(\d+)(\..*)?$/.exec(field);
  const taskType = match ? basisAt[Number(match[1])] : undefined;
  return taskType ? `legalBases.${taskType}${match?.[2] ?? ''}` : field;
}

export type Prepared =
  | { kind: 'nothing' }
  | { kind: 'invalid'; problems: Record<string, FieldProblem> }
  /** `basisAt[i]` is the task type of `update.legalBases[i]`, to place the server's field errors. */
  | { kind: 'ready'; update: DataProtectionUpdate; basisAt: string[] };

const daysProblem: FieldProblem = {
  code: 'not_whole',
  message: 'must be a whole number of days from 1 to 3650',
};

function retention(settings: DataProtectionSettings, draft: SettingsDraft): number | null | undefined | FieldProblem {
  if (draft.useDefault) return settings.regional ? null : undefined;
  const raw = draft.days.trim();
  if (raw === '') return { code: 'required', message: 'is required' };
  if (!/^-?\d+$/.test(raw)) return daysProblem;
  const days = Number(raw);
  return settings.regional && days === settings.citizenRetentionDays ? undefined : days;
}

/** What to send for what changed, checked by the same schema as the server's; only what changed is sent. */
export function prepareUpdate(settings: DataProtectionSettings, draft: SettingsDraft): Prepared {
  const days = retention(settings, draft);
  if (typeof days === 'object' && days !== null) return { kind: 'invalid', problems: { citizenRetentionDays: days } };
  const legalBases: NonNullable<DataProtectionUpdate['legalBases']> = [];
  for (const b of draft.bases) {
    const before = settings.legalBases.find((o) => o.taskType === b.taskType);
    if (!before) continue;
    if (b.usePlatform) {
      if (before.regional) legalBases.push({ taskType: b.taskType });
    } else if (b.fr.trim() !== before.fr.trim() || b.en.trim() !== before.en.trim()) {
      legalBases.push({ taskType: b.taskType, fr: b.fr, en: b.en });
    }
  }
  const basisAt = legalBases.map((b) => b.taskType);
  const update = {
    ...(days !== undefined ? { citizenRetentionDays: days } : {}),
    ...(legalBases.length > 0 ? { legalBases } : {}),
  };
  if (Object.keys(update).length === 0) return { kind: 'nothing' };
  const parsed = DataProtectionUpdate.safeParse(update);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error, update);
    return {
      kind: 'invalid',
      problems: Object.fromEntries(Object.entries(problems).map(([f, p]) => [formField(f, basisAt), p])),
    };
  }
  return { kind: 'ready', update: parsed.data, basisAt };
}

/** The server's field errors, by the form's field names. */
export function serverProblems(
  errors: readonly FieldError[],
  basisAt: readonly string[],
): Record<string, FieldProblem> {
  return Object.fromEntries(errors.map((e) => [formField(e.field, basisAt), e]));
}
