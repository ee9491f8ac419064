/**
 * The board's search, in one place for the server (which stores `search_text` and matches it with
 * the trigram index) and the client (which applies the same test to a task that changes live).
 */
import { parseTaskCode } from './task-code';

/** Lower case, accents and other combining marks removed: `Liège` and `LIEGE` both read `liege`. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What a task is searched by: its title, details, the labels of its type and its code. */
export function taskSearchText(
  task: { title: string; details: string; code: string },
  typeLabels: { fr: string; en: string } | undefined,
): string {
  return foldForSearch([task.code, task.title, task.details, typeLabels?.fr ?? '', typeLabels?.en ?? ''].join('\n'));
}

/**
 * What the search text must contain for a query: the query folded, or, when the query is a valid
 * task code typed loosely (`lie7k3q9`, `LIE-7K3O9`), that code as it is written.
 */
export function searchNeedle(query: string): string {
  const parsed = parseTaskCode(query);
  return foldForSearch(parsed.ok ? parsed.code : query.trim());
}

/** Whether a task's search text holds the query, as the server's `search_text LIKE '%needle%'` decides. */
export function matchesSearch(searchText: string, query: string): boolean {
  return searchText.includes(searchNeedle(query));
}
