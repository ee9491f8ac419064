import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { href } from '../../router';
import { useInbox } from './use-inbox';
import './notifications.css';

/**
 * The bell in the header: the unread count (read out in its label), and a panel of the latest
 * notifications with links to their tasks, to mark one or all read. Escape closes it.
 */
export function NotificationBell() {
  const { t, formatDate } = useI18n();
  const inbox = useInbox();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onHash = () => setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, [open]);

  const label = inbox.unreadCount === 0 ? t('notif.bellNone') : t('notif.bellUnread', { count: inbox.unreadCount });
  return (
    <div className="notif">
      <button
        ref={button}
        type="button"
        className="notif-bell"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <svg className="notif-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        {inbox.unreadCount > 0 && (
          <span className="notif-count" aria-hidden="true" data-testid="unread-count">
            {inbox.unreadCount > 99 ? '99+' : inbox.unreadCount}
          </span>
        )}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {inbox.unreadCount > 0 ? label : ''}
      </span>
      {open && (
        <section id={panelId} className="notif-panel" aria-label={t('notif.title')}>
          <header className="notif-head">
            <h2>{t('notif.title')}</h2>
            <button type="button" onClick={() => void inbox.markAllRead()} disabled={inbox.unreadCount === 0}>
              {t('notif.readAll')}
            </button>
          </header>
          {inbox.failed && <p role="alert">{t('notif.failed')}</p>}
          {inbox.items.length === 0 && !inbox.failed && <p>{t('notif.empty')}</p>}
          <ul className="notif-list">
            {inbox.items.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                {n.taskId ? (
                  <a
                    href={href({ page: 'task', id: n.taskId })}
                    onClick={() => void (n.readAt ? null : inbox.markRead(n.id))}
                  >
                    {n.title}
                  </a>
                ) : (
                  <span>{n.title}</span>
                )}
                <span className="notif-meta">
                  {!n.readAt && <span className="visually-hidden">{t('notif.unread')} </span>}
                  <time dateTime={n.createdAt}>{formatDate(n.createdAt)}</time>
                </span>
                {!n.readAt && (
                  <button type="button" className="notif-read" onClick={() => void inbox.markRead(n.id)}>
                    {t('notif.markRead')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <p>
            <a href={href({ page: 'preferences' })}>{t('notif.preferences')}</a>
          </p>
        </section>
      )}
    </div>
  );
}
