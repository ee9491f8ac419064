import crypto from 'node:crypto';

const derived = new WeakMap<Buffer, Buffer>();

/** A key of its own, derived from DATA_KEY, so that calendar keys are never made with the citizen data's key. */
function linkKeyOf(dataKey: Buffer): Buffer {
  let found = derived.get(dataKey);
  if (!found) {
    found = Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), 'entraide calendar link', 32));
    derived.set(dataKey, found);
  }
  return found;
}

/** A fresh nonce: renewing the link draws one, and with it a new key. */
export const newNonce = (): string => crypto.randomBytes(16).toString('base64url');

/**
 * The link's key (256 bits): an HMAC of the commune and its nonce, so that the server can show the link
 * again while the table keeps only the nonce and the key's hash, useless without DATA_KEY.
 */
export function calendarKey(dataKey: Buffer, communeId: string, nonce: string): string {
  return crypto.createHmac('sha256', linkKeyOf(dataKey)).update(`${communeId}:${nonce}`).digest('base64url');
}

export const keyHash = (key: string): string => crypto.createHash('sha256').update(key).digest('hex');

/** A hash no key has, compared against when a commune has no link: a miss costs what a wrong key costs. */
const nothing = keyHash('no calendar link');

/** Whether `key` is the one whose hash is `stored`, compared in constant time. */
export function keyMatches(key: string | undefined, stored: string | undefined): boolean {
  const given = Buffer.from(keyHash(key ?? ''), 'hex');
  const expected = Buffer.from(stored ?? nothing, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) && stored !== undefined;
}
