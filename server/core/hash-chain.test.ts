import { canonicalJson, eventHash, verifyChain, type ChainedFields } from './hash-chain';

const fields = (action: string, toStatus: string): ChainedFields => ({
  subject: 't1',
  type: 'task:updated',
  action,
  actorUserId: 'u1',
  actorCommuneId: 'c1',
  fromStatus: null,
  toStatus,
  note: null,
  snapshot: { b: 1, a: [1, { d: 2, c: 3 }] },
  at: '2026-11-23T10:00:00.000Z',
});

/** The first version of canonicalJson: the hashes of the events numbered with it must not change. */
function firstCanonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`;
}

/** A value of the kinds a snapshot holds, nested, drawn from `next` (a seeded generator). */
function randomValue(next: () => number, depth: number): unknown {
  const keys = ['a', 'B', 'é', 'z9', 'Zé', '_', 'ab', 'aB', '😀', 'a b', '"q"', 'status', 'dueAt', ''];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const kind = depth > 3 ? next() * 4 : next() * 7;
  if (kind < 1) return pick([null, undefined, true, false]);
  if (kind < 2) return pick([0, -1, 1.5, 1e21, 123456789, -0.25]);
  if (kind < 3) return pick(['', 'texte', 'é"\\\n', '2026-11-28T05:00:00.000Z', '😀']);
  if (kind < 4) return Math.floor(next() * 1000);
  if (kind < 5) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) object[pick(keys)] = randomValue(next, depth + 1);
  return object;
}

describe('hash chain', () => {
  it('writes the same canonical JSON as its first version, for values of every kind a snapshot holds', () => {
    let state = 42;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalJson(value)).toBe(firstCanonicalJson(value));
    }
  });

  it('writes JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('verifies a chain and refuses an edited, removed or reordered event', () => {
    const chain = (prevHash: string | null, f: ChainedFields) => ({ ...f, prevHash, hash: eventHash(prevHash, f) });
    const first = chain(null, fields('create', 'open'));
    const second = chain(first.hash, fields('claim', 'claimed'));
    const third = chain(second.hash, fields('start', 'in_progress'));
    expect(verifyChain([first, second, third])).toBe(true);
    expect(verifyChain([first, { ...second, note: 'edited' }, third])).toBe(false);
    expect(verifyChain([first, third])).toBe(false);
    expect(verifyChain([second, first, third])).toBe(false);
    expect(verifyChain([])).toBe(true);
  });
});
