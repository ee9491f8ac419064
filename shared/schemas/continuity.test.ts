import { groupTrackingCode, normalizeTrackingCode, TrackingCode } from './continuity';

describe('tracking codes as citizens type them', () => {
  it('reads case, dashes, spaces and the look-alike letters the Crockford way', () => {
    expect(normalizeTrackingCode('7k3q-9xab-c2def')).toBe('7K3Q9XABC2DEF');
    expect(normalizeTrackingCode(' 7K3Q 9XAB C2DEF ')).toBe('7K3Q9XABC2DEF');
    expect(normalizeTrackingCode('OIL0-0000-00000')).toBe('0110000000000');
  });

  it('refuses what cannot be a code: too short, too long, U or another sign', () => {
    for (const bad of [
      '',
      '7K3Q-9XAB-C2DE',
      '7K3Q-9XAB-C2DEFG',
      '7K3Q-9XAB-C2DEU',
      '7K3Q_9XAB_C2DEF',
      '7K3Q-9XAB-C2DÉF',
    ])
      expect({ bad, code: normalizeTrackingCode(bad) }).toEqual({ bad, code: null });
    expect(TrackingCode.safeParse('nope').success).toBe(false);
    expect(TrackingCode.parse('7k3q-9xab-c2def')).toBe('7K3Q9XABC2DEF');
  });

  it('groups a code as printed: 4, 4 and 5 characters', () => {
    expect(groupTrackingCode('7K3Q9XABC2DEF')).toBe('7K3Q-9XAB-C2DEF');
  });
});
