import crypto from 'node:crypto';
import { Citizen } from '../../shared/schemas';

const VERSION = 'v1';

/** Seals citizen data with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url, with the task id as AAD. */
export function sealCitizen(key: Buffer, taskId: string, citizen: Citizen): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  // Binding the task id means a ciphertext copied onto another task fails to open.
  cipher.setAAD(Buffer.from(taskId));
  const body = Buffer.concat([cipher.update(JSON.stringify(citizen), 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function openCitizen(key: Buffer, taskId: string, sealed: string): Citizen {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown citizen data format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(taskId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const clear = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return Citizen.parse(JSON.parse(clear));
}
