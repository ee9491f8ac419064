import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'Entraide-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>` (docs/webhooks.md). */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** How a receiver checks a call: in constant time, over the raw body as received. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signatureOf(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** A new signing secret: 32 random bytes, shown once. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}
