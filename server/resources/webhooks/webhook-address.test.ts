import { retryDelayMs } from './deliveries';
import { isPrivateAddress, webhookUrlProblem } from './webhook-address';
import { signatureOf, verifySignature } from './webhook-signature';

describe('webhook addresses', () => {
  it('tells internal addresses from public ones, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
    ]) {
      expect({ a, blocked: isPrivateAddress(a) }).toEqual({ a, blocked: true });
    }
    for (const a of ['::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1']) {
      expect({ a, blocked: isPrivateAddress(a) }).toEqual({ a, blocked: true });
    }
    for (const a of ['203.0.113.10', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect({ a, blocked: isPrivateAddress(a) }).toEqual({ a, blocked: false });
    }
  });

  it('refuses other schemes, credentials, the server itself and internal hosts', async () => {
    const rules = { allowPrivate: false, selfHosts: ['entraide.example:443', 'entraide.example'] };
    expect(await webhookUrlProblem('ftp://203.0.113.10/', rules)).toBe('must be an http(s) URL');
    expect(await webhookUrlProblem('https://u:p@203.0.113.10/', rules)).toBe('must not carry a user name or password');
    expect(await webhookUrlProblem('https://entraide.example/api', rules)).toBe('must not point at this server');
    expect(await webhookUrlProblem('http://127.0.0.1:8080/', rules)).toBe(
      'must not point at a private, loopback or link-local address',
    );
    expect(await webhookUrlProblem('http://127.0.0.1:8080/', { ...rules, allowPrivate: true })).toBeNull();
    expect(await webhookUrlProblem('https://203.0.113.10/hook', rules)).toBeNull();
  });
});

describe('webhook signatures and retries', () => {
  it('signs the raw body with HMAC-SHA256 and checks it in constant time', () => {
    const body = '{"event":"task.claimed"}';
    const header = signatureOf('whsec_test', body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_test', body, header)).toBe(true);
    expect(verifySignature('whsec_other', body, header)).toBe(false);
    expect(verifySignature('whsec_test', `${body} `, header)).toBe(false);
    expect(verifySignature('whsec_test', body, undefined)).toBe(false);
  });

  it('waits 30 s, then twice as long after each failure', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
  });
});
