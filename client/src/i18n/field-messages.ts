import type { z } from 'zod';
import { fieldIssue, type FieldIssueCode, type FieldIssueParams } from '../../../shared/field-issues';
import type { Locale } from './messages';
import { fillPlaceholders } from './translate';

/** A field error as the server sends it, or as the shared schemas find it before anything is sent. */
export interface FieldProblem {
  code: FieldIssueCode;
  params?: FieldIssueParams | undefined;
  /** In English: said as it is when the code is `invalid`. */
  message: string;
}

type Said = Record<
  Exclude<FieldIssueCode, 'invalid_format' | 'invalid'> | `format_${'uuid' | 'date' | 'datetime' | 'email'}`,
  string
>;

/** What is wrong with a field, in French: said after the field's name. English has the server's words. */
const french: Said = {
  required: 'est obligatoire',
  too_short: 'doit compter au moins {min} caractères',
  too_long: 'doit compter au plus {max} caractères',
  too_small: 'doit valoir au moins {min}',
  too_large: 'doit valoir au plus {max}',
  too_few: 'doit en contenir au moins {min}',
  too_many: 'doit en contenir au plus {max}',
  not_whole: 'doit être un nombre entier',
  wrong_type: "n'a pas le bon type ({expected} attendu)",
  one_of: 'doit être une de ces valeurs : {values}',
  unknown_field: "n'est pas un champ accepté ici",
  national_number: 'doit être un numéro de registre national valide (11 chiffres)',
  citizen_data_in_text:
    'ne doit pas contenir de numéro de registre national : indiquez-le dans les champs du citoyen, qui sont chiffrés',
  unknown_task_type: "n'est pas un type de tâche connu ({type})",
  incident_not_open: 'doit être un incident ouvert de votre commune',
  duplicate_id: 'est déjà utilisé',
  unknown_column: "n'est pas une colonne du modèle",
  invalid_csv: "n'est pas un fichier CSV lisible",
  period_reversed: 'ne doit pas précéder la date de début',
  period_too_long: 'doit être au plus {max} jours après la date de début (comprise)',
  period_not_ended: 'doit être un jour terminé (avant le {today})',
  task_code: "n'est pas un code valide : vérifiez les caractères",
  duplicate_code: 'figure deux fois : déjà à la ligne {line}',
  unknown_task_code: "n'est le code d'aucune tâche de votre région",
  slot_required: 'est obligatoire pour un rendez-vous : date, durée et lieu',
  slot_not_allowed: "n'est accepté que pour un type de rendez-vous",
  slot_in_past: 'ne doit pas être dans le passé',
  format_uuid: 'doit être un identifiant valide (UUID)',
  format_date: 'doit être une date comme 1985-07-30',
  format_datetime: 'doit être une date et une heure ISO 8601, par ex. 2026-11-24T17:00:00Z',
  format_email: 'doit être une adresse e-mail',
};

function key(problem: FieldProblem): keyof Said | undefined {
  if (problem.code === 'invalid') return undefined;
  if (problem.code !== 'invalid_format') return problem.code;
  const format = `format_${String(problem.params?.format)}`;
  return format in french ? (format as keyof Said) : undefined;
}

/** What is wrong with a field, in `locale`: in English, or without a code for it, the schema's own words. */
export function fieldMessage(locale: Locale, problem: FieldProblem): string {
  const k = locale === 'fr' ? key(problem) : undefined;
  if (!k) return problem.message;
  return fillPlaceholders(french[k], problem.params);
}

/** The problems the shared schemas found in `value`, by field path, before anything was sent. */
export function schemaProblems(error: z.ZodError, value: unknown): Record<string, FieldProblem> {
  return Object.fromEntries(
    error.issues.map((issue) => [issue.path.join('.'), { ...fieldIssue(issue, value), message: issue.message }]),
  );
}
