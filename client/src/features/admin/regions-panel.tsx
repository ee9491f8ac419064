import type { SubmitEvent } from 'react';
import { RegionCreate, type Commune, type Region } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { check } from './admin-forms';
import { Field } from './field';
import { SaveNotice } from './save-notice';
import { useEditor, type Loaded } from './use-editor';

/** Regions: create one, rename one. */
export function RegionsPanel({ regions, communes }: { regions: Loaded<Region>; communes: Commune[] }) {
  const { t } = useI18n();
  const say = useProblemText();
  const form = useEditor<{ name: string }, Region>({ name: '' }, (r) => ({ name: r.name }), 'region-form-title');

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const checked = check(RegionCreate, form.draft);
    if (!checked.ok) {
      form.refuse(checked.problems);
      return;
    }
    const editing = form.editing;
    if (editing && checked.data.name === editing.name) {
      form.nothing();
      return;
    }
    const saved = await form.save(async () => {
      const region = editing
        ? await adminApi.renameRegion(editing.id, checked.data.name)
        : await adminApi.createRegion(checked.data.name);
      return region.name;
    }, 'name');
    if (saved) regions.reload();
  };

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="region-form-title">
        <h2 id="region-form-title" tabIndex={-1}>
          {form.editing ? t('admin.regions.edit', { name: form.editing.name }) : t('admin.regions.new')}
        </h2>
        <Field form="region" name="name" label={t('admin.regions.name')} problems={form.problems}>
          {(control) => (
            <input
              {...control}
              value={form.draft.name}
              maxLength={200}
              onChange={(e) => form.setDraft({ name: e.target.value })}
            />
          )}
        </Field>
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
      <h2 id="regions-list-title">{t('admin.regions.list', { count: regions.items?.length ?? 0 })}</h2>
      {regions.error !== undefined && <p role="alert">{say(regions.error)}</p>}
      {regions.items === undefined ? (
        <p role="status">{t('admin.loading')}</p>
      ) : (
        <ul className="admin-cards" aria-labelledby="regions-list-title">
          {regions.items.map((region) => (
            <li key={region.id} className="admin-card">
              <h3>{region.name}</h3>
              <p className="meta">
                {t('admin.regions.communes', { count: communes.filter((c) => c.regionId === region.id).length })}
              </p>
              <button
                type="button"
                className="secondary"
                onClick={() => form.edit(region)}
                aria-label={t('admin.editLabel', { name: region.name })}
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
