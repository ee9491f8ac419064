import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import type { MessageKey } from '../../i18n/messages';
import { serverProblems, type Problems } from './admin-forms';

/** A save's outcome, shown beside the form's button: words of the catalogue, or the server's problem. */
export type Notice =
  { ok: true; key: MessageKey; name?: string } | { ok: false; key: MessageKey } | { ok: false; error: unknown };

/** A list loaded once and again after each change, with what went wrong loading it. */
export interface Loaded<T> {
  items: T[] | undefined;
  error: unknown;
  reload: () => void;
}

/** `load` must keep its identity between renders (a module function, or useCallback). */
export function useList<T>(load: () => Promise<T[]>): Loaded<T> {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<unknown>();
  const reload = useCallback(() => {
    load().then(
      (loaded) => {
        setItems(loaded);
        setError(undefined);
      },
      (err: unknown) => setError(err),
    );
  }, [load]);
  useEffect(reload, [reload]);
  return { items, error, reload };
}

/**
 * A create-or-edit form: the draft, the row being edited (none: a new one), the problems beside each
 * field, and the notice of the last save. `headingId` names the form's heading (with tabIndex -1).
 */
export function useEditor<D, R>(empty: D, draftOf: (row: R) => D, headingId: string) {
  const [editing, setEditing] = useState<R>();
  const [draft, setDraft] = useState<D>(empty);
  const [problems, setProblems] = useState<Problems>({});
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);

  const edit = (row: R | undefined) => {
    setEditing(row);
    setDraft(row === undefined ? empty : draftOf(row));
    setProblems({});
    setNotice(undefined);
    // Focus goes to the form's heading (`headingId`), so that the form is where one is.
    if (row !== undefined) requestAnimationFrame(() => document.getElementById(headingId)?.focus());
  };

  /** Runs a save; a refusal puts its field errors beside the fields (a taken one beside `uniqueField`). */
  const save = async (run: () => Promise<string>, uniqueField: string) => {
    setBusy(true);
    setNotice(undefined);
    try {
      const name = await run();
      setNotice({ ok: true, key: editing === undefined ? 'admin.created' : 'admin.saved', name });
      setEditing(undefined);
      setDraft(empty);
      setProblems({});
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const problems = serverProblems(err, uniqueField);
      setProblems(problems ?? {});
      setNotice(problems ? { ok: false, key: 'admin.fixFields' } : { ok: false, error: err });
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** The shared schema's verdict, before anything is sent. */
  const refuse = (found: Problems) => {
    setProblems(found);
    setNotice({ ok: false, key: 'admin.fixFields' });
  };

  const nothing = () => {
    setProblems({});
    setNotice({ ok: true, key: 'admin.nothingChanged' });
  };

  return { editing, draft, setDraft, problems, notice, busy, edit, save, refuse, nothing };
}
