import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import {
  coordinationSettingNames,
  coordinationSettings,
  type CoordinationSetting,
  type RegionSettings,
  type User,
} from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { coordinationApi } from '../../api/coordination';
import { fieldMessage, type FieldProblem } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useProblemText } from '../../i18n/use-problem-text';
import { draftOf, prepareUpdate, type CoordinationDraft } from './coordination-draft';
import '../data-protection/data-protection.css';

type Notice =
  { ok: true; text: 'coordination.saved' | 'coordination.nothingChanged' } | { ok: false; error?: ApiError };

const label = (name: CoordinationSetting) => `coordination.${name}` as MessageKey;
const hint = (name: CoordinationSetting) => `coordination.${name}Hint` as MessageKey;

/** The region's coordination settings: its coordinator changes them; the history says who changed what. */
export function CoordinationPage({ user }: { user: User }) {
  const { t, locale, formatDate } = useI18n();
  const say = useProblemText();
  const [settings, setSettings] = useState<RegionSettings>();
  const [draft, setDraft] = useState<CoordinationDraft>();
  const [loadError, setLoadError] = useState<unknown>();
  // Kept as problems, not words, so that they follow a change of language.
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const regionId = user.regionId;

  useEffect(() => {
    heading.current?.focus();
    if (!regionId) return;
    coordinationApi.settings(regionId).then((loaded) => {
      setSettings(loaded);
      setDraft(draftOf(loaded));
    }, setLoadError);
  }, [regionId]);

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!settings || !draft || !regionId) return;
    setNotice(undefined);
    const prepared = prepareUpdate(settings, draft);
    if (prepared.kind !== 'ready') {
      setProblems(prepared.kind === 'invalid' ? prepared.problems : {});
      setNotice(prepared.kind === 'nothing' ? { ok: true, text: 'coordination.nothingChanged' } : { ok: false });
      return;
    }
    setBusy(true);
    try {
      const saved = await coordinationApi.updateSettings(regionId, prepared.update);
      setSettings(saved);
      setDraft(draftOf(saved));
      setProblems({});
      setNotice({ ok: true, text: 'coordination.saved' });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(Object.fromEntries((err.problem.errors ?? []).map((f) => [f.field, f])));
      setNotice({ ok: false, error: err.problem.errors?.length ? undefined : err });
    } finally {
      setBusy(false);
    }
  };

  const title = t('coordination.title', { region: user.regionName ?? '' });
  if (!settings || !draft) {
    return (
      <section className="dp-page" aria-labelledby="coordination-title">
        <h1 id="coordination-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p role={loadError ? 'alert' : 'status'}>{loadError ? say(loadError) : t('coordination.loading')}</p>
      </section>
    );
  }

  const readOnly = !settings.canChange;
  const set = (name: CoordinationSetting, next: Partial<CoordinationDraft[CoordinationSetting]>) =>
    setDraft({ ...draft, [name]: { ...draft[name], ...next } });
  const shown = (value: number | null) => (value === null ? t('coordination.default') : String(value));

  return (
    <section className="dp-page" aria-labelledby="coordination-title">
      <h1 id="coordination-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p className="dp-intro">{t('coordination.intro')}</p>
      {readOnly && <p className="hint">{t('coordination.readOnly')}</p>}
      <form className="dp-form" onSubmit={(e) => void save(e)} noValidate>
        {coordinationSettingNames.map((name) => {
          const { min, max, default: fallback } = coordinationSettings[name];
          const problem = problems[name];
          const error = problem && fieldMessage(locale, problem);
          const id = `setting-${name}`;
          return (
            <fieldset key={name}>
              <legend>{t(label(name))}</legend>
              <p className="hint" id={`${id}-hint`}>
                {t(hint(name))} {t('coordination.bounds', { min, max })}
              </p>
              <div className="dp-field days">
                <label htmlFor={id}>{t('coordination.value')}</label>
                <input
                  id={id}
                  type="number"
                  inputMode="numeric"
                  min={min}
                  max={max}
                  step={1}
                  value={draft[name].value}
                  readOnly={readOnly}
                  onChange={(e) => set(name, { value: e.target.value, useDefault: false })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
                />
                {error && (
                  <p id={`${id}-error`} className="field-error">
                    {error}
                  </p>
                )}
              </div>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft[name].useDefault}
                  disabled={readOnly}
                  onChange={(e) =>
                    set(name, {
                      useDefault: e.target.checked,
                      value: e.target.checked ? String(fallback) : draft[name].value,
                    })
                  }
                />
                {t('coordination.useDefault', { value: fallback })}
              </label>
            </fieldset>
          );
        })}
        {!readOnly && (
          <div className="dp-buttons">
            <button type="submit" disabled={busy}>
              {t(busy ? 'coordination.saving' : 'coordination.save')}
            </button>
          </div>
        )}
        {notice && (
          <p className={`notice ${notice.ok ? 'ok' : 'conflict'}`} role={notice.ok ? 'status' : 'alert'}>
            {notice.ok ? t(notice.text) : notice.error ? say(notice.error) : t('fixFields')}
          </p>
        )}
      </form>
      {settings.canChange && (
        <section aria-labelledby="coordination-history">
          <h2 id="coordination-history">{t('coordination.history')}</h2>
          {settings.history.length === 0 ? (
            <p>{t('coordination.historyEmpty')}</p>
          ) : (
            <ol className="timeline">
              {settings.history.map((change) => (
                <li key={`${change.at}-${change.byUserId ?? ''}`}>
                  <time dateTime={change.at}>{formatDate(change.at)}</time>
                  {change.byName ? ` — ${t('coordination.historyBy', { name: change.byName })}` : ''}
                  <ul>
                    {change.changes.map((c) => (
                      <li key={c.setting}>
                        {t('coordination.historyChange', {
                          setting: t(label(c.setting)),
                          from: shown(c.from),
                          to: shown(c.to),
                        })}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </section>
  );
}
