import { catalogue, type Catalogue } from './message-catalogue';

/** The languages the API speaks. */
export type Locale = 'fr' | 'en';
export const locales: readonly Locale[] = ['fr', 'en'];

export type MessageKey = keyof Catalogue;
type ParamsOf<K extends MessageKey> = Parameters<Catalogue[K]['en']>[0];

/**
 * Words of the catalogue to be said later, in the reader's language: a domain error carries one, and
 * the problem writer (http/problem.ts) says it in the language of whoever asked.
 */
export interface Message {
  readonly key: MessageKey;
  readonly params: unknown;
}

/** Human words: from the catalogue, or (not yet catalogued) plain English. */
export type Text = string | Message;

export function msg<K extends MessageKey>(
  key: K,
  ...params: ParamsOf<K> extends undefined ? [] : [params: ParamsOf<K>]
): Message {
  return { key, params: params[0] };
}

export const isMessage = (text: unknown): text is Message =>
  typeof text === 'object' && text !== null && 'key' in text && (text as Message).key in catalogue;

/** `text` in `locale`: English words that are not in the catalogue stay English. */
export function say(locale: Locale, text: Text): string {
  if (typeof text === 'string') return text;
  const entry = catalogue[text.key] as Record<Locale, (params: unknown) => string>;
  return entry[locale](text.params);
}

/**
 * The language an `Accept-Language` header prefers among ours (RFC 9110 §12.5.4: the highest weight,
 * then the first), or undefined when it names neither.
 */
export function preferredLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.split(',')) {
    const [range = '', ...options] = part.trim().toLowerCase().split(';');
    const q = Number(options.map((o) => /^\s*q=([\d.]+)\s*$/.exec(o)?.[1]).find((v) => v !== undefined) ?? 1);
    const locale = locales.find((l) => range === l || range.startsWith(`${l}-`));
    if (locale && q > 0 && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale;
}
