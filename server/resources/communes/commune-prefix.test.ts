import { choosePrefix, prefixCandidates } from './commune-prefix';

describe('commune prefixes', () => {
  it('takes the first three letters of the name, accents removed', () => {
    expect(choosePrefix('Liège', [])).toBe('LIE');
    expect(choosePrefix('Flémalle', [])).toBe('FLE');
    expect(choosePrefix('Saint-Nicolas', [])).toBe('SAI');
    expect(choosePrefix('Y', [])).toBe('YXX');
  });

  it('takes later letters of the name when those are taken, I and L read alike', () => {
    expect(choosePrefix('Verviers', ['VER'])).toBe('VEV');
    expect(choosePrefix('Lierneux', ['LIE'])).toBe('LIR');
    // LLE reads as LIE: both cannot be.
    expect(choosePrefix('Llenas', ['LIE'])).toBe('LLN');
  });

  it('always finds one while any is left', () => {
    const taken = [...prefixCandidates('Spa')].slice(0, 200);
    expect(taken).not.toContain(choosePrefix('Spa', taken));
    expect(choosePrefix('Spa', taken)).toMatch(/^[A-Z]{3}$/);
  });
});
