import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from './messages';
import { translate, type Translate } from './translate';

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  formatDate: (iso: string) => string;
  formatNumber: (n: number) => string;
}

const Context = createContext<I18n | undefined>(undefined);

function preferredLocale(): Locale {
  const saved = localStorage.getItem('entraide.locale');
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('fr')) ||
    !navigator.language.toLowerCase().startsWith('en')
    ? 'fr'
    : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    // Set at once (not in an effect, which runs after the first calls): the API is asked in this language.
    const first = preferredLocale();
    document.documentElement.lang = first;
    return first;
  });
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-BE' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const numbers = new Intl.NumberFormat(locale === 'fr' ? 'fr-BE' : 'en-GB');
    return {
      locale,
      setLocale: (next) => {
        localStorage.setItem('entraide.locale', next);
        setLocaleState(next);
      },
      t: (key, values) => translate(locale, key, values),
      formatDate: (iso) => dates.format(new Date(iso)),
      formatNumber: (n) => numbers.format(n),
    };
  }, [locale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
