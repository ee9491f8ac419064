import crypto from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals text with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url. `aad` binds the ciphertext
 * to its row (a task id, a user id), so that one copied onto another row fails to open.
 */
export function sealText(key: Buffer, aad: string, text: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

/** The text `sealText` sealed; throws when the key, the AAD or the ciphertext is not the one sealed. */
export function openText(key: Buffer, aad: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown sealed data format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * A key of its own for one use of DATA_KEY (HKDF-SHA256 with the use as `info`): a secret sealed for
 * one purpose cannot be opened as another's, and the citizen data's key is used for nothing else.
 */
export function derivedKey(dataKey: Buffer, use: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), `entraide:${use}`, 32));
}
