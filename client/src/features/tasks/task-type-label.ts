import type { TaskType } from '../../../../shared/schemas';
import type { Locale } from '../../i18n/messages';

/** What a task's type is called in `locale`; its key only when the type is not (or not yet) known. */
export function taskTypeLabel(types: readonly TaskType[] | undefined, key: string, locale: Locale): string {
  const type = types?.find((ty) => ty.key === key);
  if (!type) return key;
  return locale === 'fr' ? type.labelFr : type.labelEn;
}
