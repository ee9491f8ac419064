import crypto from 'node:crypto';
import { openCitizen, sealCitizen } from './citizen-data';

describe('citizen data encryption', () => {
  const key = crypto.randomBytes(32);
  const citizen = { fullName: 'Jeanne Dupont', nationalNumber: '85073003328' };

  it('opens what it sealed, and never shows the clear text', () => {
    const sealed = sealCitizen(key, 'task-1', citizen);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('Jeanne');
    expect(sealCitizen(key, 'task-1', citizen)).not.toBe(sealed);
    expect(openCitizen(key, 'task-1', sealed)).toEqual(citizen);
  });

  it('refuses another key, another task and a tampered ciphertext', () => {
    const sealed = sealCitizen(key, 'task-1', citizen);
    expect(() => openCitizen(crypto.randomBytes(32), 'task-1', sealed)).toThrow();
    expect(() => openCitizen(key, 'task-2', sealed)).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() =>
      openCitizen(key, 'task-1', [parts[0], parts[1], parts[2], body.toString('base64url')].join('.')),
    ).toThrow();
  });
});
