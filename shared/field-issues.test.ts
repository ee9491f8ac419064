import { z } from 'zod';
import { fieldIssue, type FieldIssue } from './field-issues';

/** The code of each issue when `schema` checks `value`, by field path. */
function codes(schema: z.ZodType, value: unknown): Record<string, FieldIssue> {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the value to be refused');
  return Object.fromEntries(
    result.error.issues.map((issue) => [issue.path.join('.') || '(root)', fieldIssue(issue, value)]),
  );
}

describe('field issue codes', () => {
  const schema = z.strictObject({
    title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(5, 'must be at most 5 characters'),
    password: z.string().min(10),
    count: z.number({ error: 'must be a number' }).int().min(1).max(9),
    tags: z.array(z.string()).min(1).max(2),
    priority: z.enum(['urgent', 'normal']),
    id: z.uuid(),
    day: z.iso.date(),
    at: z.iso.datetime({ offset: true }),
    email: z.email(),
    code: z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit code'),
    number: z.string().refine(() => false, {
      error: 'must be a valid national register number (11 digits)',
      params: { code: 'national_number' },
    }),
    other: z.string().refine(() => false, 'is wrong'),
    days: z.number().refine(() => false, { error: 'is too long', params: { code: 'period_too_long', max: 366 } }),
  });

  it('tells a missing or empty field from one of the wrong type', () => {
    expect(codes(schema, {})).toMatchObject({
      title: { code: 'required' },
      count: { code: 'required' },
      priority: { code: 'required' },
    });
    expect(codes(schema, { title: '   ', count: 'three', tags: 'a' })).toMatchObject({
      title: { code: 'required' },
      count: { code: 'wrong_type', params: { expected: 'number' } },
      tags: { code: 'wrong_type', params: { expected: 'array' } },
    });
    expect(codes(schema, { count: 1.5 })).toMatchObject({ count: { code: 'not_whole' } });
  });

  it('gives the bounds of a field that is too short, long, small, large, or holds too few or many', () => {
    expect(codes(schema, { title: 'too long', password: 'short', count: 0, tags: [] })).toMatchObject({
      title: { code: 'too_long', params: { max: 5 } },
      password: { code: 'too_short', params: { min: 10 } },
      count: { code: 'too_small', params: { min: 1 } },
      tags: { code: 'too_few', params: { min: 1 } },
    });
    expect(codes(schema, { count: 10, tags: ['a', 'b', 'c'] })).toMatchObject({
      count: { code: 'too_large', params: { max: 9 } },
      tags: { code: 'too_many', params: { max: 2 } },
    });
  });

  it('names the allowed values, the format, an unknown field and a refinement that has a code', () => {
    expect(
      codes(schema, { priority: 'asap', id: 'x', day: 'demain', at: 'tomorrow', email: 'nobody', colour: 'red' }),
    ).toMatchObject({
      priority: { code: 'one_of', params: { values: 'urgent, normal' } },
      id: { code: 'invalid_format', params: { format: 'uuid' } },
      day: { code: 'invalid_format', params: { format: 'date' } },
      at: { code: 'invalid_format', params: { format: 'datetime' } },
      email: { code: 'invalid_format', params: { format: 'email' } },
      '(root)': { code: 'unknown_field' },
    });
    const custom = codes(schema, { code: 'abc', number: '1', other: 'x', days: 400 });
    expect(custom).toMatchObject({
      code: { code: 'invalid' },
      number: { code: 'national_number' },
      other: { code: 'invalid' },
      // A custom check's figures go with its code, for the browser's words ("{max} jours").
      days: { code: 'period_too_long', params: { max: 366 } },
    });
    expect(custom.number).toEqual({ code: 'national_number' });
  });
});
