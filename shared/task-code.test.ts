import crypto from 'node:crypto';
import {
  checkCharacter,
  crockfordAlphabet,
  generateTaskCode,
  isValidTaskCode,
  parseTaskCode,
  taskCodeKey,
} from './task-code';
import { foldForSearch, matchesSearch, searchNeedle, taskSearchText } from './task-search';

const alphanumerics = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const random = (n: number) => crypto.randomInt(n);
const prefixes = ['LIE', 'SER', 'HER', 'ANS', 'SAI', 'FLE', 'CHA', 'VIS', 'VER', 'SPA', 'ZZZ', 'AIO'];

/** The code's eight significant characters, without the dash. */
/** The check value (0-36) of seven characters, from the check character the module computes, or -1 when it gives none. */
function checkValue(seven: string): number {
  const c = checkCharacter(seven.slice(0, 3), seven.slice(3));
  return c === undefined ? -1 : parseInt(c, 36);
}

const chars = (code: string) => Array.from(code.replace('-', ''));
const write = (c: string[]) => `${c.slice(0, 3).join('')}-${c.slice(3).join('')}`;

/**
 * What a mistyped code may be taken for: nothing, or the very same code when the slip was between
 * look-alikes Crockford reads as one symbol (O and 0, I, L and 1), never another code.
 */
function takenFor(typed: string[], original: string): 'invalid' | 'same' | 'another' {
  const read = parseTaskCode(write(typed));
  if (!read.ok) return 'invalid';
  return taskCodeKey(read.code) === taskCodeKey(original) ? 'same' : 'another';
}

describe('task codes', () => {
  const codes = Array.from({ length: 1000 }, (_, i) =>
    generateTaskCode(prefixes[i % prefixes.length] ?? 'LIE', random),
  );

  it('issues codes of the documented shape, each valid', () => {
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]{3}-[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(parseTaskCode(code)).toEqual({ ok: true, code });
    }
  });

  it('refuses every single-character substitution of a thousand codes as invalid', () => {
    let tried = 0;
    for (const code of codes) {
      const original = chars(code);
      original.forEach((c, i) => {
        // Any letter or digit in the prefix; any Crockford symbol and the look-alikes O, I, L, U after it.
        for (const other of alphanumerics) {
          if (other === c) continue;
          const typed = [...original];
          typed[i] = other;
          const outcome = takenFor(typed, code);
          if (outcome === 'another') throw new Error(`${write(typed)} (from ${code}) was taken for another code`);
          if (outcome === 'invalid') tried++;
        }
      });
    }
    expect(tried).toBeGreaterThan(1000 * 8 * 30);
  });

  it('refuses every transposition of two different neighbours, across the dash too', () => {
    let tried = 0;
    for (const code of codes) {
      const original = chars(code);
      for (let i = 0; i < original.length - 1; i++) {
        if (original[i] === original[i + 1]) continue;
        const typed = [...original];
        [typed[i], typed[i + 1]] = [typed[i + 1] ?? '', typed[i] ?? ''];
        tried++;
        const outcome = takenFor(typed, code);
        // Only I and L, read alike, may trade places and still be the same code (LIE, ILE).
        const expected = /^[IL]{2}$/.test(`${original[i]}${original[i + 1]}`) ? 'same' : 'invalid';
        expect({ typed: write(typed), outcome }).toEqual({ typed: write(typed), outcome: expected });
      }
    }
    expect(tried).toBeGreaterThan(5000);
  });

  it('holds for every code, not only random ones: the two conditions of the proof, checked on every value', () => {
    // The check is linear: a slip shifts the weighted sum by wᵢ·(v' − v) (a substitution) or by
    // (wᵢ − wᵢ₊₁)·(b − a) (a swap), whatever the other characters are. The weights, read off the
    // check function itself: wᵢ is what a step of 1 in place i costs the check value.
    const base = checkValue('AAA0000');
    const weights = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const c = Array.from('AAA0000');
      c[i] = i < 3 ? 'B' : '1';
      return (base - checkValue(c.join('')) + 37) % 37;
    });
    expect(weights).toEqual([17, 27, 32, 16, 8, 4, 2]);
    const all = [...weights, 1];
    const values = Array.from({ length: 36 }, (_, v) => v);
    for (const [i, w] of all.entries()) {
      for (const v of values) for (const u of values) if (u !== v) expect((w * (u - v)) % 37).not.toBe(0);
      const next = all[i + 1];
      if (next === undefined) continue;
      for (const a of values) for (const b of values) if (a !== b) expect(((w - next) * (b - a)) % 37).not.toBe(0);
    }
  });

  it('reads codes as people type them', () => {
    const code = generateTaskCode('LIE', random);
    const [prefix = '', rest = ''] = code.split('-');
    expect(parseTaskCode(code.toLowerCase())).toEqual({ ok: true, code });
    expect(parseTaskCode(`${prefix}${rest}`)).toEqual({ ok: true, code });
    expect(parseTaskCode(` ${prefix} - ${rest} `)).toEqual({ ok: true, code });
    expect(parseTaskCode(`${prefix}-${rest.replace(/0/g, 'O').replace(/1/g, 'l')}`)).toEqual({ ok: true, code });
    expect(parseTaskCode(`${prefix}-${rest.replace(/1/g, 'I')}`)).toEqual({ ok: true, code });
  });

  it('tells a malformed code from a wrong check character', () => {
    for (const input of ['', 'LIE', 'LIE-7K3Q', 'LIE-7K3Q9X', 'LI3-7K3Q9', 'LIE-7K3U9', 'LIE_7K3Q9', '1234-5678']) {
      expect({ input, read: parseTaskCode(input) }).toEqual({ input, read: { ok: false, reason: 'malformed' } });
    }
    const code = generateTaskCode('SER', random);
    const wrong = crockfordAlphabet.charAt((crockfordAlphabet.indexOf(code.charAt(8)) + 1) % 32);
    expect(parseTaskCode(`${code.slice(0, 8)}${wrong}`)).toEqual({ ok: false, reason: 'check' });
    expect(isValidTaskCode(code)).toBe(true);
  });

  it('refuses a prefix that is not three letters', () => {
    expect(() => generateTaskCode('LI', random)).toThrow();
    expect(() => generateTaskCode('L1E', random)).toThrow();
  });
});

describe('the board search text', () => {
  it('folds case and accents', () => {
    expect(foldForSearch('Liège, ÉCOLE, Flémalle, Visé, naïve')).toBe('liege, ecole, flemalle, vise, naive');
  });

  it('holds title, details, type labels and code, and matches loosely typed codes', () => {
    const code = generateTaskCode('LIE', random);
    const text = taskSearchText(
      { title: 'Attestation pour Liège', details: 'Rue de l’Église', code },
      { fr: 'Certificat de résidence', en: 'Residence certificate' },
    );
    for (const q of [
      'liege',
      'EGLISE',
      'CERTIFICAT',
      'résidence',
      'residence certificate',
      code,
      code.replace('-', ''),
    ]) {
      expect({ q, found: matchesSearch(text, q) }).toEqual({ q, found: true });
    }
    expect(matchesSearch(text, 'composition')).toBe(false);
    expect(searchNeedle(code.replace('-', '').toLowerCase())).toBe(code.toLowerCase());
  });
});
