import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry, AuditFilter } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { dataProtectionApi } from '../../api/data-protection';
import type { FieldProblem } from '../../i18n/field-messages';

interface Trail {
  entries: AuditEntry[];
  nextCursor: string | null;
  /** The filters of the entries shown (and of the CSV link). */
  applied: AuditFilter;
  busy: boolean;
  /** The last refusal, kept as the server's problem so that its words follow a change of language. */
  error?: ApiError;
  problems: Record<string, FieldProblem>;
}

/** The audit trail's pages: the first for some filters, then the next ones by the cursor. */
export function useAuditTrail() {
  const [trail, setTrail] = useState<Trail>({ entries: [], nextCursor: null, applied: {}, busy: true, problems: {} });
  // Only the latest request's answer is shown: a slow answer to older filters is dropped.
  const latest = useRef(0);

  /** Resolves to whether a "Load more" stays: more entries after those shown, or a refusal that kept them. */
  const fetchPage = useCallback(async (filter: AuditFilter, cursor?: string): Promise<boolean> => {
    const request = ++latest.current;
    try {
      const page = await dataProtectionApi.audit(filter, cursor);
      if (request !== latest.current) return false;
      setTrail((t) => ({
        entries: cursor ? [...t.entries, ...page.items] : page.items,
        nextCursor: page.nextCursor,
        applied: filter,
        busy: false,
        problems: {},
      }));
      return page.nextCursor !== null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (request !== latest.current) return false;
      const problems = Object.fromEntries((err.problem.errors ?? []).map((e) => [e.field, e]));
      setTrail((t) => ({ ...t, busy: false, error: err, problems }));
      // What was shown stays, with its "Load more".
      return true;
    }
  }, []);

  useEffect(() => {
    void fetchPage({});
  }, [fetchPage]);

  /** The first page for these filters. */
  const show = useCallback(
    (filter: AuditFilter) => {
      setTrail((t) => ({ ...t, busy: true }));
      return fetchPage(filter);
    },
    [fetchPage],
  );

  /** The next page of the filters shown. */
  const more = useCallback(() => {
    if (!trail.nextCursor) return Promise.resolve(false);
    setTrail((t) => ({ ...t, busy: true }));
    return fetchPage(trail.applied, trail.nextCursor);
  }, [fetchPage, trail.applied, trail.nextCursor]);

  return { ...trail, show, more };
}
