import { z } from 'zod';
import { FieldIssueCode, FieldIssueParams } from '../field-issues';
import { limits } from '../limits';

export const Id = z.uuid({ error: 'must be a valid identifier (UUID)' });
export type Id = z.infer<typeof Id>;

export const IsoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be a date and time in ISO 8601 format, e.g. 2026-11-24T17:00:00Z',
});

/** A version the client saw; sent back with every change but a claim. */
export const Version = z.number({ error: 'must be the whole number the task showed' }).int().min(1);

export const Limit = z.coerce
  .number({ error: `must be a whole number from 1 to ${limits.pageSizeMax}` })
  .int(`must be a whole number from 1 to ${limits.pageSizeMax}`)
  .min(1, `must be a whole number from 1 to ${limits.pageSizeMax}`)
  .max(limits.pageSizeMax, `must be a whole number from 1 to ${limits.pageSizeMax}`)
  .default(limits.pageSizeDefault);

export const FieldError = z
  .object({
    field: z.string(),
    /** What is wrong, in English. */
    message: z.string(),
    /** The same for a program (to say it in another language): see shared/field-issues.ts. */
    code: FieldIssueCode,
    params: FieldIssueParams.optional(),
    row: z.number().int().optional(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem document. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    errors: z.array(FieldError).optional(),
    current: z.unknown().optional(),
    /** A claim refused by the cap (`code: "claim_cap"`): the region's cap and the commune's active claims. */
    cap: z.number().int().optional(),
    active: z.number().int().optional(),
    /** A 401 to a request whose session has ended (`code: "unauthenticated"`), not one that never had one. */
    expired: z.boolean().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export function page<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

/** `true`/`false` in a query string. */
export const QueryBoolean = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');
