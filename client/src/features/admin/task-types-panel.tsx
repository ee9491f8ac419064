import { useCallback, type SubmitEvent } from 'react';
import { TaskCategory, TaskTypeCreate, TaskTypeUpdate, type TaskType } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { changes, check, emptyTaskType, taskTypeDraft, taskTypeInput, type TaskTypeDraft } from './admin-forms';
import { Field } from './field';
import { SaveNotice } from './save-notice';
import { useEditor, useList } from './use-editor';

/** Task types: labels in both languages, category, default deadline and the platform's legal basis. */
export function TaskTypesPanel() {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const types = useList(useCallback(() => adminApi.taskTypes(), []));
  const form = useEditor<TaskTypeDraft, TaskType>(emptyTaskType, taskTypeDraft, 'type-form-title');
  const label = (ty: TaskType) => (locale === 'fr' ? ty.labelFr : ty.labelEn);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const editing = form.editing;
    if (editing) {
      const { key: _key, ...wanted } = changes(taskTypeInput(taskTypeDraft(editing)), taskTypeInput(form.draft));
      const checked = check(TaskTypeUpdate, wanted);
      if (!checked.ok) {
        form.refuse(checked.problems);
        return;
      }
      if (Object.keys(wanted).length === 0) {
        form.nothing();
        return;
      }
      if (await form.save(async () => label(await adminApi.updateTaskType(editing.key, checked.data)), 'key'))
        types.reload();
      return;
    }
    const checked = check(TaskTypeCreate, taskTypeInput(form.draft));
    if (!checked.ok) {
      form.refuse(checked.problems);
      return;
    }
    if (await form.save(async () => label(await adminApi.createTaskType(checked.data)), 'key')) types.reload();
  };

  const set = (key: keyof TaskTypeDraft) => (e: { target: { value: string } }) =>
    form.setDraft({ ...form.draft, [key]: e.target.value });
  const text = (key: 'labelFr' | 'labelEn', lang: 'fr' | 'en') => (
    <Field form="type" name={key} label={t(`admin.types.${key}`)} problems={form.problems}>
      {(control) => <input {...control} lang={lang} value={form.draft[key]} onChange={set(key)} maxLength={200} />}
    </Field>
  );
  const basis = (key: 'legalBasisFr' | 'legalBasisEn', lang: 'fr' | 'en') => (
    <Field form="type" name={key} label={t(`admin.types.${key}`)} problems={form.problems}>
      {(control) => (
        <textarea {...control} lang={lang} rows={3} value={form.draft[key]} onChange={set(key)} maxLength={1000} />
      )}
    </Field>
  );

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="type-form-title">
        <h2 id="type-form-title" tabIndex={-1}>
          {form.editing ? t('admin.types.edit', { name: label(form.editing) }) : t('admin.types.new')}
        </h2>
        {!form.editing && (
          <Field
            form="type"
            name="key"
            label={t('admin.types.key')}
            hint={t('admin.types.keyHint')}
            problems={form.problems}
          >
            {(control) => (
              <input
                {...control}
                value={form.draft.key}
                onChange={set('key')}
                autoCapitalize="none"
                spellCheck={false}
                maxLength={64}
              />
            )}
          </Field>
        )}
        {text('labelFr', 'fr')}
        {text('labelEn', 'en')}
        <div className="admin-pair">
          <Field form="type" name="category" label={t('admin.types.category')} problems={form.problems}>
            {(control) => (
              <select {...control} value={form.draft.category} onChange={set('category')}>
                <option value="">{t('admin.choose')}</option>
                {TaskCategory.options.map((c) => (
                  <option key={c} value={c}>
                    {t(`admin.types.category.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field form="type" name="slaHours" label={t('admin.types.slaHours')} problems={form.problems}>
            {(control) => (
              <input
                {...control}
                inputMode="numeric"
                value={form.draft.slaHours}
                onChange={set('slaHours')}
                maxLength={5}
              />
            )}
          </Field>
        </div>
        <p className="admin-hint">{t('admin.types.legalBasisHint')}</p>
        {basis('legalBasisFr', 'fr')}
        {basis('legalBasisEn', 'en')}
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            {t(form.busy ? 'admin.saving' : form.editing ? 'admin.save' : 'admin.create')}
          </button>
          {form.editing && (
            <button type="button" className="secondary" onClick={() => form.edit(undefined)}>
              {t('admin.cancelEdit')}
            </button>
          )}
        </div>
        <SaveNotice notice={form.notice} />
      </form>
      <h2 id="types-list-title">{t('admin.types.list', { count: types.items?.length ?? 0 })}</h2>
      {types.error !== undefined && <p role="alert">{say(types.error)}</p>}
      {types.items === undefined ? (
        <p role="status">{t('admin.loading')}</p>
      ) : (
        <ul className="admin-cards" aria-labelledby="types-list-title">
          {types.items.map((ty) => (
            <li key={ty.key} className="admin-card">
              <h3>
                {label(ty)} <span className="meta">{ty.key}</span>
              </h3>
              <p className="meta">
                {t(`admin.types.category.${ty.category}`)} · {t('admin.types.sla', { hours: ty.slaHours })}
              </p>
              <button
                type="button"
                className="secondary"
                onClick={() => form.edit(ty)}
                aria-label={t('admin.editLabel', { name: label(ty) })}
              >
                {t('admin.edit')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
