import type { SubmitEvent } from 'react';
import { Role, UserCreate, UserUpdate, type Commune, type Region, type User } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import { check, scopeOf, userCreateInput, userUpdateInput, type UserDraft } from './admin-forms';
import { Field } from './field';
import { SaveNotice } from './save-notice';
import { useEditor } from './use-editor';

interface UserFormProps {
  regions: Region[];
  communes: Commune[];
  editor: ReturnType<typeof useEditor<UserDraft, User>>;
  onSaved: () => void;
}

/** Creates an account, or changes its name, role and commune or region (which go together). */
export function UserForm({ regions, communes, editor: form, onSaved }: UserFormProps) {
  const { t } = useI18n();
  const editing = form.editing;
  const scope = scopeOf(form.draft.role);
  const regionName = (id: string) => regions.find((r) => r.id === id)?.name ?? '';

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (editing) {
      const input = userUpdateInput(editing, form.draft);
      const checked = check(UserUpdate, input);
      if (!checked.ok) {
        form.refuse(checked.problems);
        return;
      }
      if (Object.keys(input).length === 0) {
        form.nothing();
        return;
      }
      if (await form.save(async () => (await adminApi.updateUser(editing.id, checked.data)).username, 'username'))
        onSaved();
      return;
    }
    const checked = check(UserCreate, userCreateInput(form.draft));
    if (!checked.ok) {
      form.refuse(checked.problems);
      return;
    }
    if (await form.save(async () => (await adminApi.createUser(checked.data)).username, 'username')) onSaved();
  };

  const set = (key: keyof UserDraft) => (e: { target: { value: string } }) =>
    form.setDraft({ ...form.draft, [key]: e.target.value });

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="user-form-title">
      <h2 id="user-form-title" tabIndex={-1}>
        {editing ? t('admin.users.edit', { username: editing.username }) : t('admin.users.new')}
      </h2>
      {!editing && (
        <Field form="user" name="username" label={t('admin.users.username')} problems={form.problems}>
          {(control) => (
            <input
              {...control}
              value={form.draft.username}
              onChange={set('username')}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
            />
          )}
        </Field>
      )}
      <Field form="user" name="displayName" label={t('admin.users.displayName')} problems={form.problems}>
        {(control) => (
          <input {...control} value={form.draft.displayName} onChange={set('displayName')} maxLength={120} />
        )}
      </Field>
      <Field
        form="user"
        name="role"
        invalidText={t('admin.users.scopeInvalid')}
        label={t('admin.users.role')}
        hint={t('admin.users.scopeHint')}
        problems={form.problems}
      >
        {(control) => (
          <select {...control} value={form.draft.role} onChange={set('role')}>
            <option value="">{t('admin.choose')}</option>
            {Role.options.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {scope === 'commune' && (
        <Field
          form="user"
          name="communeId"
          invalidText={t('admin.users.scopeInvalid')}
          label={t('admin.users.commune')}
          problems={form.problems}
        >
          {(control) => (
            <select {...control} value={form.draft.communeId} onChange={set('communeId')}>
              <option value="">{t('admin.choose')}</option>
              {communes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({regionName(c.regionId)})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {scope === 'region' && (
        <Field
          form="user"
          name="regionId"
          invalidText={t('admin.users.scopeInvalid')}
          label={t('admin.users.region')}
          problems={form.problems}
        >
          {(control) => (
            <select {...control} value={form.draft.regionId} onChange={set('regionId')}>
              <option value="">{t('admin.choose')}</option>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {!editing && (
        <Field
          form="user"
          name="password"
          label={t('admin.users.password')}
          hint={t('admin.users.passwordHint')}
          problems={form.problems}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.draft.password}
              onChange={set('password')}
            />
          )}
        </Field>
      )}
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          {t(form.busy ? 'admin.saving' : editing ? 'admin.save' : 'admin.create')}
        </button>
        {editing && (
          <button type="button" className="secondary" onClick={() => form.edit(undefined)}>
            {t('admin.cancelEdit')}
          </button>
        )}
      </div>
      <SaveNotice notice={form.notice} />
    </form>
  );
}
