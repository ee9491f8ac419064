import { z } from 'zod';
import { Id } from './common';
import { DeliveryMode, TaskStatus } from './tasks';

/** Crockford's base 32: digits and letters without I, L, O and U, which are read as 1, 1, 0 (and U refused). */
export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A tracking code has 13 characters of Crockford base 32: 65 bits of randomness. */
export const trackingCodeLength = 13;

/**
 * A tracking code as a citizen types it back in: case, spaces and dashes do not matter, and I, L, O read
 * as 1, 1, 0 (Crockford). Returns the 13 characters, or null when it cannot be a tracking code.
 */
export function normalizeTrackingCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return new RegExp(`^[${crockfordAlphabet}]{${trackingCodeLength}}$`).test(code) ? code : null;
}

/** The code as printed: `XXXX-XXXX-XXXXX`, easier to read out and to copy. */
export const groupTrackingCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

export const TrackingCode = z
  .string()
  .max(40, 'must be a tracking code like 7K3Q-9XAB-C2DEF')
  .transform((typed, ctx) => {
    const code = normalizeTrackingCode(typed);
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a tracking code like 7K3Q-9XAB-C2DEF' });
      return z.NEVER;
    }
    return code;
  })
  .describe('tracking code');

/** What anyone holding a tracking code learns: no personal data, no title or details (they may hold names). */
export const TrackingAnswer = z
  .object({
    code: z.string(),
    status: TaskStatus,
    /** The status in words, in both languages. */
    statusText: z.object({ fr: z.string(), en: z.string() }),
    /** The commune the request was made to. */
    requestedOf: z.object({ name: z.string() }),
    /** The commune that handles it, once one has taken it. */
    handledBy: z.object({ name: z.string() }).nullable(),
    deliveryMode: DeliveryMode,
    /** Where to collect the document, in words, in both languages. */
    collectText: z.object({ fr: z.string(), en: z.string() }),
    updatedAt: z.string(),
  })
  .meta({ id: 'TrackingAnswer' });
export type TrackingAnswer = z.infer<typeof TrackingAnswer>;

export const IntegrationTokenCreate = z
  .strictObject({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    /** The commune the token posts for: a manager's own (the default); the admin names one. */
    communeId: Id.optional(),
  })
  .meta({ id: 'IntegrationTokenCreate' });
export type IntegrationTokenCreate = z.infer<typeof IntegrationTokenCreate>;
export type IntegrationTokenCreateInput = z.input<typeof IntegrationTokenCreate>;

export const IntegrationToken = z
  .object({
    id: Id,
    communeId: Id,
    communeName: z.string(),
    name: z.string(),
    /** The token's first characters, to recognise it; the token itself is never shown again. */
    prefix: z.string(),
    createdAt: z.string(),
    createdByName: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'IntegrationToken' });
export type IntegrationToken = z.infer<typeof IntegrationToken>;

/** A token just created: the only answer that carries the token itself. */
export const IntegrationTokenCreated = IntegrationToken.extend({ token: z.string() }).meta({
  id: 'IntegrationTokenCreated',
});
export type IntegrationTokenCreated = z.infer<typeof IntegrationTokenCreated>;

export const IntegrationTokenList = z.object({ items: z.array(IntegrationToken) }).meta({ id: 'IntegrationTokenList' });
export type IntegrationTokenList = z.infer<typeof IntegrationTokenList>;

export const IntegrationTokenQuery = z.strictObject({ communeId: Id.optional() });
