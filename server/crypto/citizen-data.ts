import { Citizen } from '../../shared/schemas';
import { openText, sealText } from './sealed';

/** Seals citizen data with AES-256-GCM (crypto/sealed.ts), with the task id as AAD. */
export function sealCitizen(key: Buffer, taskId: string, citizen: Citizen): string {
  // Binding the task id means a ciphertext copied onto another task fails to open.
  return sealText(key, taskId, JSON.stringify(citizen));
}

export function openCitizen(key: Buffer, taskId: string, sealed: string): Citizen {
  return Citizen.parse(JSON.parse(openText(key, taskId, sealed)));
}
