import {
  coordinationSettingNames,
  RegionSettingsUpdate,
  type CoordinationSetting,
  type RegionSettings,
} from '../../../../shared/schemas';
import { schemaProblems, type FieldProblem } from '../../i18n/field-messages';

/** One setting as it is being edited: its text, or the platform's default. */
export interface SettingDraft {
  value: string;
  useDefault: boolean;
}
export type CoordinationDraft = Record<CoordinationSetting, SettingDraft>;

export function draftOf(settings: RegionSettings): CoordinationDraft {
  const draft = {} as CoordinationDraft;
  for (const name of coordinationSettingNames) {
    draft[name] = { value: String(settings[name]), useDefault: !settings.regional.includes(name) };
  }
  return draft;
}

export type Prepared =
  | { kind: 'nothing' }
  | { kind: 'invalid'; problems: Record<string, FieldProblem> }
  | { kind: 'ready'; update: RegionSettingsUpdate };

/**
 * What to send for what changed (a setting back to its default is null), checked by the server's own
 * schema before anything is sent; what did not change is not sent.
 */
export function prepareUpdate(settings: RegionSettings, draft: CoordinationDraft): Prepared {
  const update: Record<string, unknown> = {};
  const problems: Record<string, FieldProblem> = {};
  for (const name of coordinationSettingNames) {
    const { value, useDefault } = draft[name];
    const regional = settings.regional.includes(name);
    if (useDefault) {
      if (regional) update[name] = null;
      continue;
    }
    const raw = value.trim();
    if (raw === '') {
      problems[name] = { code: 'required', message: 'is required' };
      continue;
    }
    const typed = /^-?\d+([.,]\d+)?$/.test(raw) ? Number(raw.replace(',', '.')) : raw;
    if (!regional || typed !== settings[name]) update[name] = typed;
  }
  if (Object.keys(problems).length > 0) return { kind: 'invalid', problems };
  if (Object.keys(update).length === 0) return { kind: 'nothing' };
  const parsed = RegionSettingsUpdate.safeParse(update);
  if (!parsed.success) return { kind: 'invalid', problems: schemaProblems(parsed.error, update) };
  return { kind: 'ready', update: parsed.data };
}
