import { useCallback, useEffect, useRef, useState } from 'react';
import type { PendingRecovery } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { dataProtectionApi } from '../../api/data-protection';
import { useI18n } from '../../i18n/i18n';
import { recoveryRefusal } from './recovery-text';
import '../data-protection/data-protection.css';

type Outcome = { ok: true; name: string } | { ok: false; error: ApiError };

/** The recoveries waiting for a second person: the region's (DPO) or the commune's (manager), to confirm. */
export function RecoveriesPage() {
  const { t, locale, formatDate } = useI18n();
  const [items, setItems] = useState<PendingRecovery[]>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [asking, setAsking] = useState<PendingRecovery>();
  const [outcome, setOutcome] = useState<Outcome>();
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(
    () =>
      dataProtectionApi.recoveries().then(
        (list) => {
          setItems(list);
          setLoadError(undefined);
        },
        (err: unknown) => {
          if (!(err instanceof ApiError)) throw err;
          setLoadError(err);
        },
      ),
    [],
  );
  useEffect(() => {
    heading.current?.focus();
    void load();
  }, [load]);

  const confirm = async (recovery: PendingRecovery) => {
    setAsking(undefined);
    try {
      await dataProtectionApi.confirmRecovery(recovery.id);
      setOutcome({ ok: true, name: recovery.displayName });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setOutcome({ ok: false, error: err });
    }
    await load();
    heading.current?.focus();
  };

  return (
    <section className="dp-page" aria-labelledby="recoveries-title">
      <h1 id="recoveries-title" ref={heading} tabIndex={-1}>
        {t('recoveries.title')}
      </h1>
      <p className="dp-intro">{t('recoveries.intro')}</p>
      {outcome && (
        <p className={`notice ${outcome.ok ? 'ok' : 'conflict'}`} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.ok
            ? t('recoveries.confirmed', { name: outcome.name })
            : recoveryRefusal(locale, outcome.error.problem)}
        </p>
      )}
      {loadError ? (
        <p className="notice conflict" role="alert">
          {recoveryRefusal(locale, loadError.problem)}
        </p>
      ) : !items ? (
        <p role="status">{t('recoveries.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('recoveries.empty')}</p>
      ) : (
        <div className="dp-scroll" role="region" aria-label={t('recoveries.tableRegion')} tabIndex={0}>
          <table className="dp-table recoveries-table">
            <caption className="visually-hidden">{t('recoveries.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('recoveries.person')}</th>
                <th scope="col">{t('recoveries.role')}</th>
                <th scope="col">{t('recoveries.method')}</th>
                <th scope="col">{t('recoveries.by')}</th>
                <th scope="col">{t('recoveries.when')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('recoveries.confirm')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    {r.displayName} <span className="meta">({r.username})</span>
                  </th>
                  <td>{t(`role.${r.role}`)}</td>
                  <td>{t(`recovery.method.${r.method}`)}</td>
                  <td>{r.recoveredByName}</td>
                  <td>
                    <time dateTime={r.recoveredAt}>{formatDate(r.recoveredAt)}</time>
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => setAsking(r)}
                      aria-label={t('recoveries.confirmLabel', { name: r.displayName })}
                    >
                      {t('recoveries.confirm')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {asking && (
        <ConfirmDialog recovery={asking} onConfirm={() => void confirm(asking)} onClose={() => setAsking(undefined)} />
      )}
    </section>
  );
}

/** Says what confirming means before it is done: a modal dialog, Escape closes it, focus returns. */
function ConfirmDialog({
  recovery,
  onConfirm,
  onClose,
}: {
  recovery: PendingRecovery;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id="confirm-title">{t('recoveries.dialogTitle', { name: recovery.displayName })}</h2>
      <p id="confirm-text">{t('recoveries.dialogText', { username: recovery.username })}</p>
      <div className="actions">
        <button type="button" onClick={onConfirm}>
          {t('recoveries.dialogConfirm')}
        </button>
        <button type="button" className="secondary" onClick={onClose} autoFocus>
          {t('recoveries.dialogCancel')}
        </button>
      </div>
    </dialog>
  );
}
