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

describe('hash chain', () => {
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
