import type { ReactNode, Ref } from 'react';
import type { AuditEntry } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import { href } from '../../router';
import { auditDetailText, shortId, type DetailContext } from './audit-details';

interface AuditTableProps {
  entries: readonly AuditEntry[];
  details: Omit<DetailContext, 't' | 'formatDate'>;
  onFilterUser: (id: string) => void;
  onFilterTask: (id: string) => void;
  /** The scrolling region, focused when the "Load more" button goes away. */
  regionRef?: Ref<HTMLDivElement>;
}

/** The entries, latest first: when, what, who, about whom or which task, and the details in words. */
export function AuditTable({ entries, details, onFilterUser, onFilterTask, regionRef }: AuditTableProps) {
  const { t, formatDate } = useI18n();
  const ctx: DetailContext = { ...details, t, formatDate };

  const personCell = (id: string | null, name: string | null, extra?: ReactNode) =>
    id ? (
      <>
        {name ?? shortId(id)}{' '}
        <button
          type="button"
          className="link filter"
          onClick={() => onFilterUser(id)}
          aria-label={t('audit.filterUserLabel', { name: name ?? id })}
        >
          {t('audit.filterUser')}
        </button>
        {extra}
      </>
    ) : (
      extra
    );

  return (
    <div className="dp-scroll" role="region" aria-label={t('audit.tableRegion')} tabIndex={0} ref={regionRef}>
      <table className="dp-table audit-table">
        <caption className="visually-hidden">{t('audit.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.what')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.about')}</th>
            <th scope="col">{t('audit.details')}</th>
            <th scope="col" className="num">
              {t('audit.seq')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const commune = e.actorCommuneId ? details.communeName(e.actorCommuneId) : undefined;
            const subject = e.subjectUserId && e.subjectUserId !== e.actorUserId ? e.subjectUserId : null;
            const task = e.taskId;
            return (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{formatDate(e.at)}</time>
                </td>
                <th scope="row">{t(`audit.kind.${e.kind}`)}</th>
                <td>
                  {e.actorUserId
                    ? personCell(e.actorUserId, e.actorName, commune && <span className="meta">{commune}</span>)
                    : e.kind === 'citizen_erased'
                      ? t('audit.system')
                      : '—'}
                </td>
                <td>
                  {subject && personCell(subject, e.subjectName)}
                  {task && (
                    <span className="task-ref">
                      <a href={href({ page: 'task', id: task })}>{t('audit.task', { id: shortId(task) })}</a>{' '}
                      <button
                        type="button"
                        className="link filter"
                        onClick={() => onFilterTask(task)}
                        aria-label={t('audit.filterTaskLabel', { id: shortId(task) })}
                      >
                        {t('audit.filterTask')}
                      </button>
                    </span>
                  )}
                  {!subject && !task && '—'}
                </td>
                <td>{auditDetailText(e, ctx) || '—'}</td>
                <td className="num">{e.seq ?? '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
