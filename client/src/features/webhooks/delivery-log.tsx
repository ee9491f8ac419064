import { useCallback, useEffect, useState } from 'react';
import type { Delivery } from '../../../../shared/schemas';
import { webhooksApi } from '../../api/webhooks';
import { useI18n } from '../../i18n/i18n';
import { deliverySummary } from './webhook-draft';

/** A webhook's last hundred deliveries, newest first: status, attempts, the last outcome, the next retry. */
export function DeliveryLog({ id, hookId }: { id: string; hookId: string }) {
  const { t, formatDate } = useI18n();
  const [items, setItems] = useState<Delivery[]>();
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems(await webhooksApi.deliveries(hookId));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [hookId]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load();
  }, [load]);

  return (
    <div id={id} className="delivery-log">
      <h4>{t('webhooks.showLog')}</h4>
      <button type="button" className="secondary" onClick={() => void load()}>
        {t('webhooks.refresh')}
      </button>
      {failed && (
        <p className="notice conflict" role="alert">
          {t('webhooks.logFailed')}
        </p>
      )}
      {items?.length === 0 && <p>{t('webhooks.logEmpty')}</p>}
      {items && items.length > 0 && (
        <ol className="deliveries">
          {items.map((delivery) => {
            const s = deliverySummary(delivery);
            // The status says it when there is one; the error (a timeout, a refused connection) otherwise.
            const result =
              s.last?.statusCode != null
                ? t('webhooks.httpStatus', { code: s.last.statusCode })
                : (s.last?.error ?? '');
            return (
              <li key={delivery.id} className={`delivery ${delivery.status}`}>
                <p>
                  <span className={`badge delivery-${delivery.status}`}>{t(`webhooks.status.${delivery.status}`)}</span>{' '}
                  <code>{delivery.event}</code> ·{' '}
                  <time dateTime={delivery.createdAt}>{formatDate(delivery.createdAt)}</time>
                </p>
                <p>
                  {t('webhooks.attempts', { count: s.attempts })}
                  {' · '}
                  {s.last ? t('webhooks.lastAttempt', { result }) : t('webhooks.noAttempt')}
                </p>
                {s.nextRetryAt && <p>{t('webhooks.nextRetry', { date: formatDate(s.nextRetryAt) })}</p>}
                {s.deliveredAt && <p>{t('webhooks.deliveredAt', { date: formatDate(s.deliveredAt) })}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
