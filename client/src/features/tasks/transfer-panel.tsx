import { useEffect, useState, type SubmitEvent } from 'react';
import type { Commune, Task, TransferRequest, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { transfersApi } from '../../api/transfers';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

/**
 * A claim's transfer on the task page: the open request, with accept and decline for the holder; or,
 * for another commune's clerk or the coordinator, a form to ask for it. `onChanged` reads the task again.
 */
export function TransferPanel({ task, user, onChanged }: { task: Task; user: User; onChanged: () => void }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [request, setRequest] = useState<TransferRequest>();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const requestId = task.transferRequestId;

  useEffect(() => {
    if (!requestId) return;
    let live = true;
    transfersApi.get(requestId).then(
      (found) => {
        if (live) setRequest(found);
      },
      (err: unknown) => {
        if (live) setError(say(err));
      },
    );
    return () => {
      live = false;
    };
  }, [requestId, say]);

  const answer = async (verb: 'accept' | 'decline') => {
    if (!request) return;
    setBusy(true);
    setError(undefined);
    try {
      await transfersApi.answer(request.id, verb);
      onChanged();
    } catch (err) {
      // The asker's cap, not the reader's: said so, whatever the server's words for a claim of one's own.
      const capped = err instanceof ApiError && err.problem.code === 'claim_cap';
      setError(
        capped
          ? t('transfer.askerAtCap', {
              commune: request.askerCommuneName,
              active: err.problem.active ?? '?',
              cap: err.problem.cap ?? '?',
            })
          : say(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const shown = requestId && request?.id === requestId ? request : undefined;
  if (!shown && !task.abilities.requestTransfer) return null;
  return (
    <section className="transfer no-print" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('transfer.title')}</h2>
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {shown ? (
        <>
          <p>
            <span className="badge transfer">{t('transfer.badge')}</span>{' '}
            {t('transfer.askedBy', { commune: shown.askerCommuneName, name: shown.askedByName })}
          </p>
          {shown.note && <p className="transfer-note">« {shown.note} »</p>}
          <p className="hint">
            {t('transfer.expires', { commune: shown.askerCommuneName })}{' '}
            <time dateTime={shown.expiresAt}>{formatDate(shown.expiresAt)}</time>
          </p>
          {shown.abilities.accept && (
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void answer('accept')}>
                {t('transfer.accept')}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => void answer('decline')}>
                {t('transfer.decline')}
              </button>
            </div>
          )}
        </>
      ) : asking ? (
        <AskForm
          task={task}
          user={user}
          onDone={() => {
            setAsking(false);
            onChanged();
          }}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <>
          <p className="hint">{t('transfer.askHint')}</p>
          <button type="button" onClick={() => setAsking(true)}>
            {t('transfer.ask')}
          </button>
        </>
      )}
    </section>
  );
}

/** Asking: a note for the holder, and for the coordinator the commune the task should go to. */
function AskForm({
  task,
  user,
  onDone,
  onCancel,
}: {
  task: Task;
  user: User;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const say = useProblemText();
  const forCommune = user.role === 'coordinator';
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [communeId, setCommuneId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!forCommune) return;
    let live = true;
    void api.communes().then((all) => {
      if (live) setCommunes(all.filter((c) => c.id !== task.requestingCommuneId && c.id !== task.claimedByCommuneId));
    }, setError);
    return () => {
      live = false;
    };
  }, [forCommune, task.requestingCommuneId, task.claimedByCommuneId]);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await transfersApi.request(task.id, {
        ...(forCommune ? { communeId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="transfer-form" onSubmit={(e) => void submit(e)}>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {forCommune && (
        <>
          <label htmlFor="transfer-commune">{t('transfer.toCommune')}</label>
          <select id="transfer-commune" required value={communeId} onChange={(e) => setCommuneId(e.target.value)}>
            <option value="">—</option>
            {communes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="transfer-note">{t('transfer.note')}</label>
      <textarea id="transfer-note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('transfer.send')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}
