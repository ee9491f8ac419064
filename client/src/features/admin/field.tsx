import { useEffect, useState, type ReactNode } from 'react';
import { fieldMessage } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import type { Problems } from './admin-forms';

interface FieldProps {
  /** The form's prefix and the field's name make the ids: `${form}-${name}`. */
  form: string;
  name: string;
  label: string;
  hint?: string;
  /** Said for a problem the shared codes cannot word (`invalid`), in the interface's language. */
  invalidText?: string;
  problems: Problems;
  /** The control, given its id and what describes it. */
  children: (control: {
    id: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

/** A labelled control with its hint and, beside it, what is wrong with it, announced with the control. */
export function Field({ form, name, label, hint, invalidText, problems, children }: FieldProps) {
  const { locale } = useI18n();
  const id = `${form}-${name}`;
  const problem = problems[name];
  const error = problem && (problem.code === 'invalid' && invalidText ? invalidText : fieldMessage(locale, problem));
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="admin-field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="admin-hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface ConfirmProps {
  text: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before an act that cannot be taken back quietly (deactivating, a new password), in a modal dialog. */
export function ConfirmDialog({ text, confirmLabel, onConfirm, onCancel }: ConfirmProps) {
  const { t } = useI18n();
  // Focus goes back where it was (the button that asked) when the dialog closes; read before the
  // dialog opens and takes the focus.
  const [before] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    },
    [before],
  );
  return (
    <dialog
      ref={(dialog) => {
        if (dialog && !dialog.open) dialog.showModal();
      }}
      aria-labelledby="confirm-text"
      onCancel={onCancel}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <p id="confirm-text">{text}</p>
        <div className="actions">
          <button type="submit">{confirmLabel}</button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A secret shown once (a new password, an access code): to be noted, then hidden for good. */
export function OneTimeSecret({ text, secret, onDone }: { text: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice ok one-time-secret" role="status">
      <p>{text}</p>
      <p>
        <code className="secret">{secret}</code>
      </p>
      <button type="button" className="secondary" onClick={onDone}>
        {t('admin.noted')}
      </button>
    </div>
  );
}
