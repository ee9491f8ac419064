import { useEffect, useMemo, useRef, useState, type SubmitEvent } from 'react';
import { AuditKind, type Commune, type TaskType, type User } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { dataProtectionApi } from '../../api/data-protection';
import { useI18n } from '../../i18n/i18n';
import { problemMessage } from '../../i18n/problem-messages';
import { namesOf } from './audit-details';
import { auditFieldMessage, auditFilterOf, emptyAuditForm, type AuditForm } from './audit-filter';
import { AuditTable } from './audit-table';
import { useAuditTrail } from './use-audit-trail';
import './data-protection.css';

type TextField = Exclude<keyof AuditForm, 'kind'>;

/** The DPO's audit trail of the region: filters, entries latest first, more on demand, and the CSV export. */
export function AuditPage({ user }: { user: User }) {
  const { t, locale, formatNumber } = useI18n();
  const trail = useAuditTrail();
  const [form, setForm] = useState<AuditForm>(emptyAuditForm);
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [types, setTypes] = useState<TaskType[]>([]);
  const tableRegion = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    // Names for the ids in the details; without them the details show short ids.
    api.communes().then(setCommunes, () => undefined);
    api.taskTypes().then(setTypes, () => undefined);
  }, []);

  const names = useMemo(() => namesOf(trail.entries), [trail.entries]);
  const details = {
    userName: (id: string) => names.get(id),
    communeName: (id: string) => communes.find((c) => c.id === id)?.name,
    taskTypeLabel: (key: string) => {
      const type = types.find((ty) => ty.key === key);
      return type && (locale === 'fr' ? type.labelFr : type.labelEn);
    },
  };

  const apply = (next: AuditForm) => {
    setForm(next);
    void trail.show(auditFilterOf(next));
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    apply(form);
  };
  const loadMore = async () => {
    // The button goes away with the last page: focus goes to the entries rather than to nowhere.
    if (!(await trail.more())) tableRegion.current?.focus();
  };

  const errorOf = (field: keyof AuditForm | 'cursor') => {
    const problem = trail.problems[field];
    return problem && auditFieldMessage(locale, problem);
  };
  const input = (field: TextField, label: string, type: 'text' | 'date', hint?: string) => {
    const error = errorOf(field);
    const described = [hint && `hint-${field}`, error && `error-${field}`].filter(Boolean).join(' ');
    return (
      <div className="dp-field">
        <label htmlFor={`audit-${field}`}>{label}</label>
        <input
          id={`audit-${field}`}
          type={type}
          value={form[field]}
          onChange={(e) => setForm({ ...form, [field]: e.target.value })}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
        />
        {hint && (
          <p id={`hint-${field}`} className="hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={`error-${field}`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  const count = formatNumber(trail.entries.length);
  return (
    <section className="dp-page" aria-labelledby="audit-title">
      <h1 id="audit-title" ref={heading} tabIndex={-1}>
        {user.regionName ? t('audit.titleRegion', { region: user.regionName }) : t('audit.title')}
      </h1>
      <p className="dp-intro">{t('audit.intro')}</p>

      <div className="presets" role="group" aria-label={t('audit.presets')}>
        <button type="button" className="secondary" onClick={() => apply(emptyAuditForm)}>
          {t('audit.presetAll')}
        </button>
        <button type="button" className="secondary" onClick={() => apply({ ...form, kind: 'citizen_read' })}>
          {t('audit.presetCitizenReads')}
        </button>
      </div>

      <form className="dp-filters" role="search" aria-label={t('audit.filters')} onSubmit={submit} noValidate>
        <div className="dp-field">
          <label htmlFor="audit-kind">{t('audit.kind')}</label>
          <select
            id="audit-kind"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value as AuditForm['kind'] })}
          >
            <option value="">{t('audit.kindAll')}</option>
            {AuditKind.options.map((kind) => (
              <option key={kind} value={kind}>
                {t(`audit.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        {input('userId', t('audit.userId'), 'text', t('audit.userIdHint'))}
        {input('taskId', t('audit.taskId'), 'text')}
        {input('from', t('audit.from'), 'date')}
        {input('to', t('audit.to'), 'date')}
        <div className="dp-buttons">
          <button type="submit" disabled={trail.busy}>
            {t('audit.apply')}
          </button>
          <button type="button" className="secondary" onClick={() => apply(emptyAuditForm)}>
            {t('audit.clear')}
          </button>
        </div>
      </form>

      {trail.error && (
        <p className="notice conflict" role="alert">
          {trail.problems.cursor ? t('audit.badCursor') : problemMessage(locale, trail.error.problem)}
        </p>
      )}
      <div className="dp-toolbar">
        <p role="status" className="dp-count">
          {trail.busy
            ? t('audit.loading')
            : trail.entries.length === 0
              ? t('audit.empty')
              : t(trail.nextCursor ? 'audit.shownMore' : 'audit.shown', { count })}
        </p>
        <p className="dp-download">
          <a className="button-link" href={dataProtectionApi.auditCsvHref(trail.applied)} download>
            {t('audit.download')}
          </a>{' '}
          <span className="hint">{t('audit.downloadNote')}</span>
        </p>
      </div>

      {trail.entries.length > 0 && (
        <AuditTable
          entries={trail.entries}
          details={details}
          regionRef={tableRegion}
          onFilterUser={(id) => apply({ ...form, userId: id })}
          onFilterTask={(id) => apply({ ...form, taskId: id })}
        />
      )}
      {trail.nextCursor && (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={trail.busy}>
            {t('audit.loadMore')}
          </button>
        </p>
      )}
    </section>
  );
}
