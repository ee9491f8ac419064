import crypto from 'node:crypto';
import { crockfordAlphabet, trackingCodeLength } from '../../shared/schemas';

/** A new tracking code: 13 characters of Crockford base 32, each drawn by the CSPRNG (65 bits). */
export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < trackingCodeLength; i++) code += crockfordAlphabet.charAt(crypto.randomInt(32));
  return code;
}

const keys = new WeakMap<Buffer, { lookup: Buffer; seal: Buffer }>();

/** Keys of their own, derived from DATA_KEY, so that a tracking code is never handled with the citizen data's key. */
function keysOf(dataKey: Buffer) {
  let found = keys.get(dataKey);
  if (!found) {
    const derive = (info: string) =>
      Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), `entraide tracking ${info}`, 32));
    found = { lookup: derive('lookup'), seal: derive('seal') };
    keys.set(dataKey, found);
  }
  return found;
}

/**
 * What a task is found by: an HMAC of the normalised code, so that the table alone (a backup, a dump)
 * does not give the codes, and a lookup costs the same whether the code exists or not.
 */
export function trackingHash(dataKey: Buffer, code: string): string {
  return crypto.createHmac('sha256', keysOf(dataKey).lookup).update(code).digest('base64url');
}

/** The code sealed (AES-256-GCM, the task id as AAD) for a receipt printed again later. */
export function sealTrackingCode(dataKey: Buffer, taskId: string, code: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keysOf(dataKey).seal, iv);
  cipher.setAAD(Buffer.from(taskId));
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function openTrackingCode(dataKey: Buffer, taskId: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.');
  if (!iv || !tag || body === undefined) throw new Error('unknown tracking code format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keysOf(dataKey).seal, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(taskId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
