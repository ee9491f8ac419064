/**
 * A task's short code, for paper and phone: the requesting commune's three-letter prefix, a dash,
 * then five characters of Crockford's base 32 of which the last is a check character (`LIE-7K3Q9`).
 *
 * The check: every one of the eight characters (prefix included, so a code read out with another
 * commune's prefix is refused too) takes its value v as Crockford reads it (0-9 → 0-9, A-Z → 10-35,
 * with O read as 0 and I, L as 1 wherever they stand), and
 *
 *     Σ wᵢ·vᵢ ≡ 0 (mod 37),   w = 17, 27, 32, 16, 8, 4, 2, 1   (wᵢ = 2^(8-i) mod 37)
 *
 * 37 is prime, so a product of two numbers that are not multiples of 37 is not one either. Then:
 * - one character changed from v to v' shifts the sum by wᵢ·(v' − v): wᵢ ≠ 0 and 0 < |v' − v| ≤ 35 < 37,
 *   so the code no longer checks, unless v' = v: the look-alikes O/0 and I/L/1, which are one symbol;
 * - two neighbours swapped shift it by (wᵢ − wᵢ₊₁)·(vᵢ₊₁ − vᵢ): the weights are distinct modulo 37
 *   (2 has order 36 modulo 37), and the values differ unless the swap changed nothing. Reading the
 *   look-alikes the same way in the prefix keeps this true of a swap across the dash (`AIO-B…` →
 *   `AIB-O…`, where the O now stands for 0).
 * Prefixes are unique once I and L are read alike, and codes are unique and looked up that way too
 * (`taskCodeKey`), so `LLE-…` typed for `LIE-…` finds the same task, never another. The check value
 * is 0-36; a code is only issued when it is one of Crockford's 32 symbols. shared/task-code.test.ts
 * checks all this exhaustively for a prefix.
 */

/** Crockford's base 32: digits and letters without I, L, O and U. */
export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const weights = [17, 27, 32, 16, 8, 4, 2, 1] as const;
const MODULUS = 37;

const lookAlikes: Record<string, string> = { O: '0', I: '1', L: '1' };

/** The character's value as Crockford reads it, the same in every position. */
const valueOf = (c: string) => parseInt(lookAlikes[c] ?? c, 36);

/** The check character for a prefix and four payload characters, or undefined when it is not a Crockford symbol. */
export function checkCharacter(prefix: string, payload: string): string | undefined {
  const chars = `${prefix}${payload}`;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (weights[i] ?? 0) * valueOf(chars.charAt(i));
  const check = (MODULUS - (sum % MODULUS)) % MODULUS;
  if (check >= 36) return undefined;
  const c = check.toString(36).toUpperCase();
  return crockfordAlphabet.includes(c) ? c : undefined;
}

export const taskCodePrefixPattern = /^[A-Z]{3}$/;

/**
 * A fresh code for a commune's prefix: four random Crockford characters, drawn again while their
 * check value is not a Crockford symbol (5 times in 37). `random(n)` draws an integer in [0, n).
 */
export function generateTaskCode(prefix: string, random: (n: number) => number): string {
  if (!taskCodePrefixPattern.test(prefix)) throw new Error(`not a task code prefix: ${prefix}`);
  for (;;) {
    let payload = '';
    for (let i = 0; i < 4; i++) payload += crockfordAlphabet.charAt(random(32));
    const check = checkCharacter(prefix, payload);
    if (check) return `${prefix}-${payload}${check}`;
  }
}

export type ParsedTaskCode = { ok: true; code: string } | { ok: false; reason: 'malformed' | 'check' };

/**
 * Reads a code as a person types it: any case, spaces ignored, the dash optional, and in the five
 * Crockford characters O read as 0 and I or L as 1. A code of the right shape whose check fails is
 * a typing mistake (`check`); anything else is `malformed`.
 */
export function parseTaskCode(input: string): ParsedTaskCode {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]{3})-?([0-9A-Z]{5})$/.exec(compact);
  if (!match) return { ok: false, reason: 'malformed' };
  const prefix = match[1] ?? '';
  const rest = (match[2] ?? '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{5}$/.test(rest)) return { ok: false, reason: 'malformed' };
  const payload = rest.slice(0, 4);
  if (checkCharacter(prefix, payload) !== rest.charAt(4)) return { ok: false, reason: 'check' };
  return { ok: true, code: `${prefix}-${rest}` };
}

/** A code as codes are told apart: I and L read alike (O cannot stand in a prefix, nor I or L after the dash). */
export const taskCodeKey = (code: string): string => code.replace(/L/g, 'I');

export const isValidTaskCode = (code: string): boolean => parseTaskCode(code).ok;
