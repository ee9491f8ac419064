import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from './i18n';
import { problemMessage } from './problem-messages';

/** Words for what went wrong with a call, in the interface's language. */
export function useProblemText(): (err: unknown) => string {
  const { locale } = useI18n();
  return useCallback(
    (err: unknown) => (err instanceof ApiError ? problemMessage(locale, err.problem) : String(err)),
    [locale],
  );
}
