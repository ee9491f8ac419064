import { messages, type Locale, type MessageKey } from './messages';

/** What fills a message's `{name}` placeholders. */
export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** `text` with each `{name}` replaced by `values.name`; a value not given leaves nothing, never `{name}`. */
export function fillPlaceholders(text: string, values: Readonly<MessageValues> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A message of the catalogue in `locale`, filled in: what `useI18n().t` says. */
export function translate(locale: Locale, key: MessageKey, values?: MessageValues): string {
  return fillPlaceholders(messages[locale][key], values);
}
