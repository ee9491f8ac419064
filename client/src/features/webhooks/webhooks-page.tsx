import { useCallback, useEffect, useRef, useState, type SubmitEvent } from 'react';
import { webhookEventNames, type CreatedWebhook, type User, type Webhook } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { webhooksApi } from '../../api/webhooks';
import { useI18n } from '../../i18n/i18n';
import type { Translate } from '../../i18n/translate';
import { useProblemText } from '../../i18n/use-problem-text';
import { DeliveryLog } from './delivery-log';
import { prepareWebhook, refusedFields, type DraftProblems } from './webhook-draft';
import './webhooks.css';

/**
 * The signed webhooks of a manager's commune or a coordinator's region: create one (its secret shown
 * once), see them with their delivery log, delete one. The API is docs/webhooks.md.
 */
export function WebhooksPage({ user }: { user: User }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [hooks, setHooks] = useState<Webhook[]>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [created, setCreated] = useState<CreatedWebhook>();

  const load = useCallback(async () => {
    try {
      setHooks(await webhooksApi.list());
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on mount: state is set when the answer arrives
    void load();
  }, [load]);

  const remove = async (hook: Webhook) => {
    if (!window.confirm(t('webhooks.confirmDelete', { url: hook.url }))) return;
    setError(undefined);
    try {
      await webhooksApi.remove(hook.id);
      setNotice(t('webhooks.deleted'));
      await load();
    } catch (err) {
      setError(err);
    }
  };

  const scope = user.role === 'manager' ? user.communeName : user.regionName;
  return (
    <section className="webhooks" aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('webhooks.title')}</h1>
      <p>
        {t(user.role === 'manager' ? 'webhooks.introCommune' : 'webhooks.introRegion', { scope: scope ?? '' })}{' '}
        {t('webhooks.docs')}
      </p>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {notice && (
        <p className="notice ok" role="status">
          {notice}
        </p>
      )}
      {created && <SecretOnce hook={created} onDismiss={() => setCreated(undefined)} />}
      <CreateForm
        onCreated={async (hook) => {
          setNotice(undefined);
          setCreated(hook);
          await load();
        }}
      />
      <h2 id="webhooks-list">{t('webhooks.list')}</h2>
      {hooks?.length === 0 && <p>{t('webhooks.none')}</p>}
      {hooks && hooks.length > 0 && (
        <ul className="webhook-list" aria-labelledby="webhooks-list">
          {hooks.map((hook) => (
            <WebhookItem key={hook.id} hook={hook} onDelete={() => void remove(hook)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateForm({ onCreated }: { onCreated: (hook: CreatedWebhook) => Promise<void> }) {
  const { t } = useI18n();
  const say = useProblemText();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [problems, setProblems] = useState<DraftProblems>({});
  const [error, setError] = useState<unknown>();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    const prepared = prepareWebhook(url, events);
    if ('problems' in prepared) {
      setProblems(prepared.problems);
      return;
    }
    setProblems({});
    try {
      const hook = await webhooksApi.create(prepared.input);
      setUrl('');
      setEvents([]);
      await onCreated(hook);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = refusedFields(err.problem.errors);
      setProblems(fields);
      if (!fields.url && !fields.events) setError(err);
    }
  };
  const toggle = (name: string, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, name] : chosen.filter((n) => n !== name)));

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-labelledby="webhook-new" noValidate>
      <h2 id="webhook-new">{t('webhooks.create')}</h2>
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      <div>
        <label htmlFor="webhook-url">{t('webhooks.url')}</label>
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          value={url}
          maxLength={2000}
          aria-invalid={problems.url ? true : undefined}
          aria-describedby={problems.url ? 'webhook-url-error webhook-url-hint' : 'webhook-url-hint'}
          onChange={(e) => setUrl(e.target.value)}
        />
        <p id="webhook-url-hint" className="field-hint">
          {t('webhooks.urlHint')}
        </p>
        {problems.url && (
          <p id="webhook-url-error" className="field-error">
            {t(problems.url === 'refused' ? 'webhooks.urlRefused' : 'webhooks.urlInvalid')}
          </p>
        )}
      </div>
      <fieldset aria-describedby={problems.events ? 'webhook-events-error' : undefined}>
        <legend>{t('webhooks.events')}</legend>
        {webhookEventNames.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={events.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
            {t(`webhooks.event.${name}`)} <code>{name}</code>
          </label>
        ))}
        {problems.events && (
          <p id="webhook-events-error" className="field-error">
            {t('webhooks.eventsRequired')}
          </p>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit">{t('webhooks.create')}</button>
      </div>
    </form>
  );
}

/** The new webhook's signing secret, shown this once, with a copy button. */
function SecretOnce({ hook, onDismiss }: { hook: CreatedWebhook; onDismiss: () => void }) {
  const { t } = useI18n();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    field.current?.focus();
  }, [hook]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(hook.secret);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page, an old browser): the secret stays selected for a manual copy.
      field.current?.select();
    }
  };
  return (
    <div className="notice ok token-once" role="status">
      <p>
        <strong>{t('webhooks.secretOnce')}</strong>
      </p>
      <p className="webhook-url">{hook.url}</p>
      <label htmlFor="webhook-secret">{t('webhooks.secretLabel')}</label>
      <input id="webhook-secret" ref={field} readOnly value={hook.secret} className="token-secret" />
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          {t('webhooks.copy')}
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          {t('webhooks.dismiss')}
        </button>
      </div>
      {copied && <p>{t('webhooks.copied')}</p>}
    </div>
  );
}

function WebhookItem({ hook, onDelete }: { hook: Webhook; onDelete: () => void }) {
  const { t, formatDate } = useI18n();
  const [open, setOpen] = useState(false);
  const logId = `webhook-log-${hook.id}`;
  return (
    <li className="card webhook">
      <h3 className="webhook-url">{hook.url}</h3>
      <p className="meta">{hook.events.map((name) => eventLabel(t, name)).join(' · ')}</p>
      <p className="meta">{t('webhooks.createdAt', { date: formatDate(hook.createdAt) })}</p>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          aria-expanded={open}
          aria-controls={logId}
          aria-label={open ? t('webhooks.hideLog') : t('webhooks.showLogLabel', { url: hook.url })}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('webhooks.hideLog') : t('webhooks.showLog')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-label={t('webhooks.deleteLabel', { url: hook.url })}
          onClick={onDelete}
        >
          {t('webhooks.delete')}
        </button>
      </div>
      {open && <DeliveryLog id={logId} hookId={hook.id} />}
    </li>
  );
}

/** The words of an event name the API gave; one this client does not know is shown as it is. */
function eventLabel(t: Translate, name: string): string {
  const known = webhookEventNames.find((n) => n === name);
  return known ? t(`webhooks.event.${known}`) : name;
}
