import crypto from 'node:crypto';

/**
 * JSON with keys sorted at every level, so that a jsonb round trip does not change the hash. The
 * sequencer writes one for every event, on the app's thread: plain loops, no intermediate arrays.
 * `Object.keys(...).sort()` orders keys by UTF-16 code units, as the first version's comparator did.
 */
export function canonicalJson(value: unknown): string {
  // A jsonb round trip turns undefined into null.
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

export interface ChainedFields {
  subject: string;
  type: string;
  action: string;
  actorUserId: string | null;
  actorCommuneId: string | null;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
  snapshot: unknown;
  at: string;
}

export function eventHash(prevHash: string | null, fields: ChainedFields): string {
  return crypto
    .createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonicalJson(fields))
    .digest('hex');
}

/** True when every event's hash matches its content and its predecessor's hash. */
export function verifyChain(events: readonly (ChainedFields & { prevHash: string | null; hash: string })[]): boolean {
  let prev: string | null = null;
  for (const { prevHash, hash, ...fields } of events) {
    if (prevHash !== prev || eventHash(prev, fields) !== hash) return false;
    prev = hash;
  }
  return true;
}

/**
 * One link of a global chain (the events', in `seq` order): sha256(previous link, "\n", the row's
 * own hash). Migration 0010 computes the same in SQL for the events numbered before it.
 */
export function chainLink(previous: string | null, hash: string): string {
  return crypto
    .createHash('sha256')
    .update(previous ?? '')
    .update('\n')
    .update(hash)
    .digest('hex');
}
