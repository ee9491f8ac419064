import crypto from 'node:crypto';

/**
 * Seals a secret the server must read again (a webhook's signing key) with AES-256-GCM under
 * DATA_KEY: `s1.<iv>.<tag>.<ciphertext>`, base64url, bound to `context` (the row's id).
 */
export function sealSecret(key: Buffer, context: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['s1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
    '.',
  );
}

export function openSecret(key: Buffer, context: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 's1' || !iv || !tag || body === undefined) throw new Error('unknown secret format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
