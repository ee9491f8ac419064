import type { DataProtectionSettings, TaskType } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import type { BasisDraft } from './settings-draft';

interface LegalBasisFieldsProps {
  basis: DataProtectionSettings['legalBases'][number];
  draft: BasisDraft;
  /** The task type as the platform has it: its own wording of the legal basis. */
  platform: TaskType | undefined;
  errorOf: (field: string) => string | undefined;
  onChange: (draft: BasisDraft) => void;
}

/** One task type's legal basis, in French and English: the platform's, or worded for the region. */
export function LegalBasisFields({ basis, draft, platform, errorOf, onChange }: LegalBasisFieldsProps) {
  const { t, locale } = useI18n();
  const label = locale === 'fr' ? basis.labelFr : basis.labelEn;
  const id = `basis-${basis.taskType}`;

  const choosePlatform = (checked: boolean) =>
    onChange(
      checked
        ? {
            ...draft,
            usePlatform: true,
            fr: platform?.legalBasisFr ?? draft.fr,
            en: platform?.legalBasisEn ?? draft.en,
          }
        : { ...draft, usePlatform: false },
    );

  const text = (lang: 'fr' | 'en') => {
    const error = errorOf(`legalBases.${basis.taskType}.${lang}`);
    return (
      <div className="dp-field">
        <label htmlFor={`${id}-${lang}`}>{t(lang === 'fr' ? 'protection.basisFr' : 'protection.basisEn')}</label>
        <textarea
          id={`${id}-${lang}`}
          lang={lang}
          rows={3}
          maxLength={1000}
          value={draft[lang]}
          onChange={(e) => onChange({ ...draft, [lang]: e.target.value, usePlatform: false })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${lang}-error` : undefined}
        />
        {error && (
          <p id={`${id}-${lang}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <fieldset className="basis">
      <legend>
        {label}{' '}
        <span className={`badge${basis.regional ? ' regional' : ''}`}>
          {t(basis.regional ? 'protection.basisRegional' : 'protection.basisPlatform')}
        </span>
      </legend>
      <label className="check">
        <input type="checkbox" checked={draft.usePlatform} onChange={(e) => choosePlatform(e.target.checked)} />
        {t('protection.usePlatform')}
      </label>
      {draft.usePlatform && basis.regional && <p className="hint">{t('protection.willUsePlatform')}</p>}
      {text('fr')}
      {text('en')}
    </fieldset>
  );
}
