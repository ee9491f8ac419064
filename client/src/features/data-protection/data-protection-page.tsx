import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { type DataProtectionSettings, type TaskType, type User } from '../../../../shared/schemas';
import { limits } from '../../../../shared/limits';
import { api, ApiError } from '../../api/client';
import { dataProtectionApi } from '../../api/data-protection';
import { fieldMessage, type FieldProblem } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { LegalBasisFields } from './legal-basis-fields';
import { draftOf, prepareUpdate, serverProblems, type BasisDraft, type SettingsDraft } from './settings-draft';
import './data-protection.css';

type Notice = { ok: true; text: 'protection.saved' | 'protection.nothingChanged' } | { ok: false; error?: ApiError };

/** The region's retention of citizen data and its wording of each task type's legal basis, set by its DPO. */
export function DataProtectionPage({ user }: { user: User }) {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const [settings, setSettings] = useState<DataProtectionSettings>();
  const [draft, setDraft] = useState<SettingsDraft>();
  const [types, setTypes] = useState<TaskType[]>([]);
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
    dataProtectionApi.settings(regionId).then((loaded) => {
      setSettings(loaded);
      setDraft(draftOf(loaded));
    }, setLoadError);
    // The platform's wording of each legal basis, to go back to it.
    api.taskTypes().then(setTypes, () => undefined);
  }, [regionId]);

  const errorOf = (field: string) => {
    const problem = problems[field];
    return problem && fieldMessage(locale, problem);
  };

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!settings || !draft || !regionId) return;
    setNotice(undefined);
    const prepared = prepareUpdate(settings, draft);
    if (prepared.kind === 'nothing') {
      setProblems({});
      setNotice({ ok: true, text: 'protection.nothingChanged' });
      return;
    }
    if (prepared.kind === 'invalid') {
      setProblems(prepared.problems);
      setNotice({ ok: false });
      return;
    }
    setBusy(true);
    try {
      const saved = await dataProtectionApi.updateSettings(regionId, prepared.update);
      setSettings(saved);
      setDraft(draftOf(saved));
      setProblems({});
      setNotice({ ok: true, text: 'protection.saved' });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(serverProblems(err.problem.errors ?? [], prepared.basisAt));
      setNotice({ ok: false, error: err.problem.errors?.length ? undefined : err });
    } finally {
      setBusy(false);
    }
  };

  const title = t('protection.title', { region: user.regionName ?? '' });
  if (!settings || !draft) {
    return (
      <section className="dp-page" aria-labelledby="protection-title">
        <h1 id="protection-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p role={loadError ? 'alert' : 'status'}>{loadError ? say(loadError) : t('protection.loading')}</p>
      </section>
    );
  }

  const daysError = errorOf('citizenRetentionDays');
  const setBasis = (next: BasisDraft) =>
    setDraft({ ...draft, bases: draft.bases.map((b) => (b.taskType === next.taskType ? next : b)) });
  return (
    <section className="dp-page" aria-labelledby="protection-title">
      <h1 id="protection-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <form className="dp-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset>
          <legend>{t('protection.retention')}</legend>
          <p className="hint">{t('protection.retentionIntro')}</p>
          <p>
            {t(settings.regional ? 'protection.currentRegional' : 'protection.currentDefault', {
              days: settings.citizenRetentionDays,
            })}
          </p>
          <div className="dp-field days">
            <label htmlFor="retention-days">{t('protection.retentionDays', { max: limits.retentionDaysMax })}</label>
            <input
              id="retention-days"
              type="number"
              inputMode="numeric"
              min={1}
              max={limits.retentionDaysMax}
              step={1}
              value={draft.days}
              onChange={(e) => setDraft({ ...draft, days: e.target.value, useDefault: false })}
              aria-invalid={daysError ? true : undefined}
              aria-describedby={daysError ? 'retention-days-error' : undefined}
            />
            {daysError && (
              <p id="retention-days-error" className="field-error">
                {daysError}
              </p>
            )}
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.useDefault}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  useDefault: e.target.checked,
                  days: e.target.checked ? String(settings.defaultRetentionDays) : draft.days,
                })
              }
            />
            {t('protection.useDefault', { days: settings.defaultRetentionDays })}
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('protection.legalBases')}</legend>
          <p className="hint">{t('protection.legalBasesIntro')}</p>
          {settings.legalBases.map((basis) => {
            const current = draft.bases.find((b) => b.taskType === basis.taskType);
            return (
              current && (
                <LegalBasisFields
                  key={basis.taskType}
                  basis={basis}
                  draft={current}
                  platform={types.find((ty) => ty.key === basis.taskType)}
                  errorOf={errorOf}
                  onChange={setBasis}
                />
              )
            );
          })}
        </fieldset>
        <div className="dp-buttons">
          <button type="submit" disabled={busy}>
            {t(busy ? 'protection.saving' : 'protection.save')}
          </button>
        </div>
        {/* Beside the button, where the eye is after saving; announced too. */}
        {notice && (
          <p className={`notice ${notice.ok ? 'ok' : 'conflict'}`} role={notice.ok ? 'status' : 'alert'}>
            {notice.ok ? t(notice.text) : notice.error ? say(notice.error) : t('fixFields')}
          </p>
        )}
      </form>
    </section>
  );
}
