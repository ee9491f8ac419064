import { useEffect, useState } from 'react';
import type { AccessCode, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

/** The coordinator's access desk: the region's managers and clerks, and a one-time code for whoever is locked out. */
export function AccountsPage() {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [users, setUsers] = useState<User[]>([]);
  const [issued, setIssued] = useState<AccessCode>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.users().then(setUsers, (err: unknown) => setError(err instanceof ApiError ? say(err) : t('networkError')));
  }, [t, say]);

  const issue = async (user: User) => {
    setError(undefined);
    setIssued(undefined);
    try {
      setIssued(await api.issueAccessCode(user.id));
    } catch (err) {
      setError(err instanceof ApiError && err.status !== 0 ? say(err) : t('networkError'));
    }
  };

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts')}</h1>
      <p>{t('accountsIntro')}</p>
      {issued && (
        <p className="notice ok access-code" role="status">
          {t('codeIssued', {
            name: issued.user.displayName,
            username: issued.user.username,
            code: issued.code,
            date: formatDate(issued.expiresAt),
          })}
        </p>
      )}
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {users.length === 0 ? (
        <p>{t('noAccounts')}</p>
      ) : (
        <table className="accounts">
          <thead>
            <tr>
              <th scope="col">{t('accountPerson')}</th>
              <th scope="col">{t('accountCommune')}</th>
              <th scope="col">{t('accountRole')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('issueCode')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <th scope="row">
                  {user.displayName} <span className="meta">({user.username})</span>
                </th>
                <td>{user.communeName}</td>
                <td>
                  {user.role === 'manager' || user.role === 'clerk' ? t(`role_${user.role}`) : user.role}
                  {user.active ? '' : ` · ${t('deactivated')}`}
                </td>
                <td>
                  {user.active && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void issue(user)}
                      aria-label={`${t('issueCode')} — ${user.displayName}`}
                    >
                      {t('issueCode')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
