import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { dashboardMessages, type DashboardMessageKey } from './messages';

export type Translate = (key: DashboardMessageKey, values?: Record<string, string | number>) => string;

/** The dashboard's strings in the current locale, with `{name}` placeholders filled in. */
export function useMessages(): Translate {
  const { locale } = useI18n();
  return useMemo(() => {
    const m = dashboardMessages[locale];
    return (key: DashboardMessageKey, values: Record<string, string | number> = {}) =>
      m[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  }, [locale]);
}
