import { foldForSearch } from '../../../shared/task-search';

const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Prefixes are told apart as codes are: I and L read alike (shared/task-code.ts). */
export const prefixKey = (prefix: string) => prefix.replace(/L/g, 'I');

/**
 * The prefixes a commune may take, best first: the first three letters of its name without accents
 * (Liège → LIE, Seraing → SER, Flémalle → FLE), padded with X; then its first letter and two later
 * letters of its name in order (Saint-Nicolas → SAN…); then its first letter and any two; then any
 * three. Migration 0012 gave the communes already there their prefix by the same rule.
 */
export function* prefixCandidates(name: string): Generator<string> {
  const letters = foldForSearch(name)
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .padEnd(3, 'X');
  const first = letters.charAt(0);
  yield letters.slice(0, 3);
  for (let j = 1; j < letters.length; j++) {
    for (let k = j + 1; k < letters.length; k++) yield `${first}${letters.charAt(j)}${letters.charAt(k)}`;
  }
  const leads = `${first}${abc}`;
  for (let i = 0; i < leads.length; i++) {
    for (let j = 0; j < abc.length; j++) {
      for (let k = 0; k < abc.length; k++) yield `${leads.charAt(i)}${abc.charAt(j)}${abc.charAt(k)}`;
    }
  }
}

/** The first candidate no other commune holds (read alike). */
export function choosePrefix(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map(prefixKey));
  for (const candidate of prefixCandidates(name)) if (!used.has(prefixKey(candidate))) return candidate;
  throw new Error('every three-letter prefix is taken');
}
