import { useCallback, useState } from 'react';
import { Role, type Commune, type Region, type User } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useProblemText } from '../../i18n/use-problem-text';
import { emptyUser, userDraft, type UserDraft } from './admin-forms';
import { ConfirmDialog, OneTimeSecret } from './field';
import { UserForm } from './user-form';
import { useEditor, useList } from './use-editor';

type Act = 'deactivate' | 'reactivate' | 'reset' | 'code' | 'factor';
const confirmText: Record<Act, MessageKey> = {
  deactivate: 'admin.users.confirmDeactivate',
  reactivate: 'admin.users.confirmReactivate',
  reset: 'admin.users.confirmReset',
  code: 'admin.users.confirmCode',
  factor: 'admin.users.confirmFactorReset',
};
const actLabel: Record<Act, MessageKey> = {
  deactivate: 'admin.users.deactivate',
  reactivate: 'admin.users.reactivate',
  reset: 'admin.users.resetPassword',
  code: 'admin.users.accessCode',
  factor: 'admin.users.resetFactor',
};

type Outcome = { secret: string; text: string } | { done: string } | { error: unknown };

const noFilter = { q: '', role: '', regionId: '', active: '' };

/** Accounts: filtered in the database; created, edited, deactivated, given a new password or an access code. */
export function UsersPanel({ regions, communes, me }: { regions: Region[]; communes: Commune[]; me: User }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [draftFilter, setDraftFilter] = useState(noFilter);
  const [filter, setFilter] = useState(noFilter);
  const users = useList(useCallback(() => adminApi.users(filter), [filter]));
  const editor = useEditor<UserDraft, User>(emptyUser, userDraft, 'user-form-title');
  const [asking, setAsking] = useState<{ act: Act; user: User }>();
  const [outcome, setOutcome] = useState<Outcome>();

  const act = async (what: Act, user: User) => {
    setAsking(undefined);
    setOutcome(undefined);
    try {
      if (what === 'reset') {
        const reset = await adminApi.resetPassword(user.id);
        setOutcome({ secret: reset.password, text: t('admin.users.newPassword', { username: user.username }) });
      } else if (what === 'factor') {
        await adminApi.resetSecondFactor(user.id);
        setOutcome({ done: t('admin.users.factorReset', { username: user.username }) });
      } else if (what === 'code') {
        const code = await adminApi.issueAccessCode(user.id);
        const text = t('admin.users.newCode', { username: user.username, date: formatDate(code.expiresAt) });
        setOutcome({ secret: code.code, text });
      } else {
        await adminApi.updateUser(user.id, { active: what === 'reactivate' });
        const key = what === 'reactivate' ? 'admin.users.reactivated' : 'admin.users.deactivated';
        setOutcome({ done: t(key, { username: user.username }) });
      }
      users.reload();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setOutcome({ error: err });
    }
  };

  const setF = (key: keyof typeof noFilter) => (e: { target: { value: string } }) =>
    setDraftFilter({ ...draftFilter, [key]: e.target.value });
  const scopeName = (u: User) => [u.communeName, u.regionName].filter(Boolean).join(' · ');
  const button = (what: Act, user: User) => (
    <button
      type="button"
      className="secondary"
      onClick={() => setAsking({ act: what, user })}
      aria-label={t('admin.users.actionLabel', { action: t(actLabel[what]), name: user.username })}
    >
      {t(actLabel[what])}
    </button>
  );

  return (
    <>
      <UserForm regions={regions} communes={communes} editor={editor} onSaved={users.reload} />
      {outcome && 'secret' in outcome && (
        <OneTimeSecret text={outcome.text} secret={outcome.secret} onDone={() => setOutcome(undefined)} />
      )}
      {outcome && 'done' in outcome && (
        <p className="notice ok" role="status">
          {outcome.done}
        </p>
      )}
      {outcome && 'error' in outcome && (
        <p className="notice conflict" role="alert">
          {say(outcome.error)}
        </p>
      )}
      <h2 id="users-list-title">{t('admin.users.list', { count: users.items?.length ?? 0 })}</h2>
      <form
        className="admin-filters"
        aria-label={t('admin.users.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draftFilter);
        }}
      >
        <div className="admin-field">
          <label htmlFor="users-q">{t('admin.users.search')}</label>
          <input id="users-q" type="search" value={draftFilter.q} onChange={setF('q')} maxLength={64} />
        </div>
        <div className="admin-field">
          <label htmlFor="users-role">{t('admin.users.role')}</label>
          <select id="users-role" value={draftFilter.role} onChange={setF('role')}>
            <option value="">{t('admin.users.anyRole')}</option>
            {Role.options.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="admin-field">
          <label htmlFor="users-region">{t('admin.users.region')}</label>
          <select id="users-region" value={draftFilter.regionId} onChange={setF('regionId')}>
            <option value="">{t('admin.allRegions')}</option>
            {regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="admin-field">
          <label htmlFor="users-active">{t('admin.users.state')}</label>
          <select id="users-active" value={draftFilter.active} onChange={setF('active')}>
            <option value="">{t('admin.users.anyState')}</option>
            <option value="true">{t('admin.users.active')}</option>
            <option value="false">{t('admin.users.inactive')}</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit">{t('admin.filter')}</button>
        </div>
      </form>
      {users.error !== undefined && <p role="alert">{say(users.error)}</p>}
      {users.items === undefined ? (
        <p role="status">{t('admin.loading')}</p>
      ) : users.items.length === 0 ? (
        <p>{t('admin.none')}</p>
      ) : (
        <ul className="admin-cards" aria-labelledby="users-list-title">
          {users.items.map((u) => (
            <li key={u.id} className={`admin-card${u.active ? '' : ' inactive'}`}>
              <h3>
                {u.displayName} <span className="meta">({u.username})</span>
              </h3>
              <p className="meta">
                {t(`role.${u.role}`)}
                {scopeName(u) && ` · ${scopeName(u)}`} · {t(u.active ? 'admin.users.active' : 'admin.users.inactive')}
              </p>
              {u.id !== me.id && (
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => editor.edit(u)}
                    aria-label={t('admin.editLabel', { name: u.username })}
                  >
                    {t('admin.edit')}
                  </button>
                  {button(u.active ? 'deactivate' : 'reactivate', u)}
                  {button('reset', u)}
                  {u.active && u.role !== 'admin' && button('code', u)}
                  {u.id !== me.id && button('factor', u)}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {asking && (
        <ConfirmDialog
          text={t(confirmText[asking.act], { name: asking.user.displayName, username: asking.user.username })}
          confirmLabel={t(actLabel[asking.act])}
          onConfirm={() => void act(asking.act, asking.user)}
          onCancel={() => setAsking(undefined)}
        />
      )}
    </>
  );
}
