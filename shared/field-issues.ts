import { z } from 'zod';

/**
 * What is wrong with a field, for a program rather than a reader: every field error carries one of
 * these codes (and the figures it needs, in `params`) beside its English message, so that the
 * browser can say it in the user's language. `invalid` means "read the message".
 */
export const FieldIssueCode = z.enum([
  'required',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'not_whole',
  'wrong_type',
  'one_of',
  'invalid_format',
  'unknown_field',
  'national_number',
  'citizen_data_in_text',
  'unknown_task_type',
  'incident_not_open',
  'duplicate_id',
  'unknown_column',
  'invalid_csv',
  'period_reversed',
  'period_too_long',
  'period_not_ended',
  'task_code',
  'duplicate_code',
  'unknown_task_code',
  'slot_required',
  'slot_not_allowed',
  'slot_in_past',
  'invalid',
]);
export type FieldIssueCode = z.infer<typeof FieldIssueCode>;

export const FieldIssueParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type FieldIssueParams = z.infer<typeof FieldIssueParams>;

export interface FieldIssue {
  code: FieldIssueCode;
  params?: FieldIssueParams;
}

/** The formats a field error names (`invalid_format`); other patterns carry their own message. */
const formats = new Set(['uuid', 'date', 'datetime', 'email']);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const figure = (value: number | bigint) => Number(value);

/** The code of one zod issue on `root`, the value that was checked. */
export function fieldIssue(issue: z.core.$ZodIssue, root: unknown): FieldIssue {
  // Whatever the check that failed, a field that is not there at all is missing.
  if (issue.code !== 'unrecognized_keys' && issue.code !== 'custom' && valueAt(root, issue.path) === undefined)
    return { code: 'required' };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { code: 'not_whole' };
      return { code: 'wrong_type', params: { expected: issue.expected } };
    case 'too_small':
      if (issue.origin === 'string')
        return figure(issue.minimum) <= 1
          ? { code: 'required' }
          : { code: 'too_short', params: { min: figure(issue.minimum) } };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { code: 'too_few', params: { min: figure(issue.minimum) } };
      return { code: 'too_small', params: { min: figure(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'string') return { code: 'too_long', params: { max: figure(issue.maximum) } };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { code: 'too_many', params: { max: figure(issue.maximum) } };
      return { code: 'too_large', params: { max: figure(issue.maximum) } };
    case 'invalid_value':
      return { code: 'one_of', params: { values: issue.values.map(String).join(', ') } };
    case 'invalid_format':
      return formats.has(issue.format)
        ? { code: 'invalid_format', params: { format: issue.format } }
        : { code: 'invalid' };
    case 'unrecognized_keys':
      return { code: 'unknown_field' };
    case 'custom': {
      const { code: named, ...rest } = issue.params ?? {};
      const code = FieldIssueCode.safeParse(named);
      if (!code.success) return { code: 'invalid' };
      // The figures a custom check names (a period's `max`) go with its code, for the message's words.
      const params = FieldIssueParams.safeParse(rest);
      return params.success && Object.keys(params.data).length > 0
        ? { code: code.data, params: params.data }
        : { code: code.data };
    }
    default:
      return { code: 'invalid' };
  }
}
