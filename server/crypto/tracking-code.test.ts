import crypto from 'node:crypto';
import { normalizeTrackingCode } from '../../shared/schemas';
import { newTrackingCode, openTrackingCode, sealTrackingCode, trackingHash } from './tracking-code';

describe('tracking codes', () => {
  const key = crypto.randomBytes(32);

  it('draws 13 Crockford characters that read back as themselves, each code new', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newTrackingCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(normalizeTrackingCode(code)).toBe(code);
    // Every one of the 32 characters turns up: the draw covers the alphabet (65 bits a code).
    expect(new Set([...codes].join('')).size).toBe(32);
  });

  it('finds a task by an HMAC that depends on the key, and seals the code to the task', () => {
    const code = newTrackingCode();
    expect(trackingHash(key, code)).toBe(trackingHash(key, code));
    expect(trackingHash(key, code)).not.toBe(trackingHash(crypto.randomBytes(32), code));
    expect(trackingHash(key, code)).not.toContain(code);
    const taskId = crypto.randomUUID();
    const sealed = sealTrackingCode(key, taskId, code);
    expect(sealed).not.toContain(code);
    expect(openTrackingCode(key, taskId, sealed)).toBe(code);
    expect(() => openTrackingCode(key, crypto.randomUUID(), sealed)).toThrow();
  });
});
