import type { Request } from 'express';
import type { z } from 'zod';
import { fieldIssue } from '../../shared/field-issues';
import type { FieldError } from '../../shared/schemas';
import { ValidationError } from '../core/errors';
import { msg } from '../core/messages';

/** The field errors of a failed parse of `value`, each with its code (shared/field-issues.ts). */
export function zodFieldErrors(error: z.ZodError, value: unknown, row?: number): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = row === undefined ? {} : { row };
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        ...at,
        field: [...issue.path, key].join('.'),
        message: 'is not a field this request accepts',
        code: 'unknown_field' as const,
      }));
    }
    return [{ ...at, field: issue.path.join('.') || 'body', message: issue.message, ...fieldIssue(issue, value) }];
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = zodFieldErrors(result.error, value);
    const fields = errors.map((e) => e.field).join(', ');
    throw new ValidationError(msg('fields_invalid', { what, fields }), errors);
  }
  return result.data;
}

/** An absent body reads as `{}`, so that a missing field says "is required", not "expected object". */
export const body = <S extends z.ZodType>(schema: S, req: { body?: unknown }) => parse(schema, req.body ?? {}, 'body');
export const query = <S extends z.ZodType>(schema: S, req: Request) => parse(schema, req.query, 'query');
export const param = <S extends z.ZodType>(schema: S, value: unknown, name: string) => {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError(
      msg('param_invalid', { name }),
      zodFieldErrors(result.error, value)
        .slice(0, 1)
        .map((e) => ({ ...e, field: name })),
    );
  return result.data;
};

/** The version a change was made against: the body's `version`, else an `If-Match: "<n>"` header. */
export function withIfMatch(req: Request): Record<string, unknown> {
  const raw = (req.body ?? {}) as Record<string, unknown>;
  if (raw.version !== undefined || typeof raw !== 'object') return raw;
  const header = req.get('if-match');
  const match = header?.match(/^\s*(?:W\/)?"?(\d+)"?\s*$/);
  return match ? { ...raw, version: Number(match[1]) } : raw;
}
