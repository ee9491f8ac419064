import { useCallback, useState, type SubmitEvent } from 'react';
import { CommuneCreate, CommuneUpdate, type Commune, type Region } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { changes, check, communeDraft, communeInput, emptyCommune, type CommuneDraft } from './admin-forms';
import { Field } from './field';
import { SaveNotice } from './save-notice';
import { useEditor, useList, type Loaded } from './use-editor';

/** Communes of every region: create one, edit its name, NIS code, region or place. */
export function CommunesPanel({ regions, onChanged }: { regions: Loaded<Region>; onChanged: () => void }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [regionFilter, setRegionFilter] = useState('');
  const communes = useList(useCallback(() => adminApi.communes(regionFilter || undefined), [regionFilter]));
  const form = useEditor<CommuneDraft, Commune>(emptyCommune, communeDraft, 'commune-form-title');
  const regionName = (id: string) => regions.items?.find((r) => r.id === id)?.name ?? '';

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const editing = form.editing;
    const input = communeInput(form.draft);
    const wanted = editing ? changes(communeInput(communeDraft(editing)), input) : input;
    const checked = check(editing ? CommuneUpdate : CommuneCreate, wanted);
    if (!checked.ok) {
      form.refuse(checked.problems);
      return;
    }
    if (editing && Object.keys(wanted).length === 0) {
      form.nothing();
      return;
    }
    const saved = await form.save(async () => {
      const commune = editing
        ? await adminApi.updateCommune(editing.id, checked.data)
        : await adminApi.createCommune(checked.data as CommuneCreate);
      return commune.name;
    }, 'code');
    if (saved) {
      communes.reload();
      onChanged();
    }
  };

  const set = (key: keyof CommuneDraft) => (e: { target: { value: string } }) =>
    form.setDraft({ ...form.draft, [key]: e.target.value });
  const text = (key: keyof CommuneDraft, label: string, extra: Record<string, string | number> = {}, hint?: string) => (
    <Field
      form="commune"
      name={key}
      label={label}
      hint={hint}
      invalidText={key === 'code' ? t('admin.communes.codeInvalid') : undefined}
      problems={form.problems}
    >
      {(control) => <input {...control} {...extra} value={form.draft[key]} onChange={set(key)} />}
    </Field>
  );

  return (
    <>
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="commune-form-title">
        <h2 id="commune-form-title" tabIndex={-1}>
          {form.editing ? t('admin.communes.edit', { name: form.editing.name }) : t('admin.communes.new')}
        </h2>
        {text('name', t('admin.communes.name'), { maxLength: 200 })}
        {text('code', t('admin.communes.code'), { inputMode: 'numeric', maxLength: 5 }, t('admin.communes.codeHint'))}
        <Field form="commune" name="regionId" label={t('admin.communes.region')} problems={form.problems}>
          {(control) => (
            <select {...control} value={form.draft.regionId} onChange={set('regionId')}>
              <option value="">{t('admin.choose')}</option>
              {regions.items?.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="admin-hint">{t('admin.communes.placeHint')}</p>
        <div className="admin-pair">
          {text('latitude', t('admin.communes.latitude'), { inputMode: 'decimal' })}
          {text('longitude', t('admin.communes.longitude'), { inputMode: 'decimal' })}
        </div>
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
      <h2 id="communes-list-title">{t('admin.communes.list', { count: communes.items?.length ?? 0 })}</h2>
      <div className="admin-filter">
        <label htmlFor="communes-region">{t('admin.communes.region')}</label>
        <select id="communes-region" value={regionFilter} onChange={(e) => setRegionFilter(e.target.value)}>
          <option value="">{t('admin.allRegions')}</option>
          {regions.items?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      {communes.error !== undefined && <p role="alert">{say(communes.error)}</p>}
      {communes.items === undefined ? (
        <p role="status">{t('admin.loading')}</p>
      ) : (
        <ul className="admin-cards" aria-labelledby="communes-list-title">
          {communes.items.map((c) => (
            <li key={c.id} className="admin-card">
              <h3>
                {c.name} <span className="meta">{c.code}</span>
              </h3>
              <p className="meta">
                {regionName(c.regionId)} · {t(`admin.communes.status.${c.status}`)} ·{' '}
                {t('admin.communes.place', { lat: c.latitude, lon: c.longitude })}
              </p>
              <button
                type="button"
                className="secondary"
                onClick={() => form.edit(c)}
                aria-label={t('admin.editLabel', { name: c.name })}
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
