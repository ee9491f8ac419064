import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import type { Commune, IntegrationToken, IntegrationTokenCreated, User } from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { continuityApi } from '../../api/continuity';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

/**
 * A commune's API tokens for its integrations (the citizen portal): create one (shown once, with a copy
 * button), see them all without their secret, revoke one. A manager for its commune; the admin for any.
 */
export function IntegrationsPage({ user }: { user: User }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const isAdmin = user.role === 'admin';
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [communeId, setCommuneId] = useState(user.communeId ?? '');
  const [tokens, setTokens] = useState<IntegrationToken[]>();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<IntegrationTokenCreated>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>();
  const secret = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setTokens(await continuityApi.tokens(isAdmin ? communeId || undefined : undefined));
    } catch (err) {
      setError(err);
    }
  }, [isAdmin, communeId]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load();
  }, [load]);
  useEffect(() => {
    if (isAdmin) void api.communes().then(setCommunes, () => undefined);
  }, [isAdmin]);
  useEffect(() => {
    if (created) secret.current?.focus();
  }, [created]);

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setCreated(await continuityApi.createToken({ name, ...(isAdmin ? { communeId } : {}) }));
      setCopied(false);
      setName('');
      await load();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err);
    }
  };
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page, an old browser): the token stays selected for a manual copy.
      secret.current?.select();
    }
  };
  const revoke = async (token: IntegrationToken) => {
    if (!window.confirm(t('tokens.confirmRevoke', { name: token.name }))) return;
    setError(undefined);
    try {
      await continuityApi.revokeToken(token.id);
      await load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {created && (
        <div className="notice ok token-once" role="status">
          <p>
            <strong>{t('tokens.createdOnce')}</strong>
          </p>
          <label htmlFor="token-secret" className="visually-hidden">
            {created.name}
          </label>
          <input id="token-secret" ref={secret} readOnly value={created.token} className="token-secret" />
          <div className="actions">
            <button type="button" onClick={() => void copy()}>
              {t('tokens.copy')}
            </button>
            <button type="button" className="secondary" onClick={() => setCreated(undefined)}>
              {t('tokens.dismiss')}
            </button>
          </div>
          {copied && <p>{t('tokens.copied')}</p>}
        </div>
      )}
      <form className="form" onSubmit={(e) => void create(e)} aria-labelledby="token-new">
        <h2 id="token-new">{t('tokens.create')}</h2>
        {isAdmin && (
          <div>
            <label htmlFor="token-commune">{t('tokens.commune')}</label>
            <select id="token-commune" value={communeId} onChange={(e) => setCommuneId(e.target.value)} required>
              <option value="">—</option>
              {communes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div>
          <label htmlFor="token-name">{t('tokens.name')}</label>
          <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </div>
        <div className="actions">
          <button type="submit">{t('tokens.create')}</button>
        </div>
      </form>
      <h2>{t('tokens.list')}</h2>
      {tokens?.length === 0 && <p>{t('tokens.none')}</p>}
      {tokens && tokens.length > 0 && (
        <div className="scroll" role="region" aria-label={t('tokens.list')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                {isAdmin && <th scope="col">{t('tokens.commune')}</th>}
                <th scope="col">{t('tokens.prefix')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.state')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  {isAdmin && <td>{token.communeName}</td>}
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>
                    {formatDate(token.createdAt)}
                    {token.createdByName ? ` · ${token.createdByName}` : ''}
                  </td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('tokens.never')}</td>
                  <td>
                    {token.revokedAt ? (
                      t('tokens.revoked', { date: formatDate(token.revokedAt) })
                    ) : (
                      <>
                        {t('tokens.active')}{' '}
                        <button
                          type="button"
                          className="secondary"
                          aria-label={t('tokens.revokeLabel', { name: token.name })}
                          onClick={() => void revoke(token)}
                        >
                          {t('tokens.revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
