import type { RunSheet, RunSheetItem, TaskType } from '../../../../shared/schemas';
import { useSlotText } from '../appointments/slot-line';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';

/** A box to tick with a pen: drawn, not a form control (the sheet is for paper). */
function TickBox({ label }: { label: string }) {
  return (
    <span className="tick">
      <span className="tick-box" aria-hidden="true" />
      {label}
    </span>
  );
}

function Citizen({ item }: { item: RunSheetItem }) {
  const { t, locale } = useI18n();
  if (item.citizenWithheld === 'erased') return <p className="sheet-citizen">{t('runSheet.erased')}</p>;
  if (item.citizenWithheld) {
    return (
      <p className="sheet-citizen">
        {t('runSheet.seeFile')} <span className="write-in" aria-hidden="true" />
      </p>
    );
  }
  const c = item.citizen;
  if (!c) return null;
  const fields: [MessageKey, string | undefined][] = [
    ['fullName', c.fullName],
    ['nationalNumber', c.nationalNumber],
    ['birthDate', c.birthDate],
    ['phone', c.phone],
    ['email', c.email],
    ['address', c.address],
  ];
  return (
    <div className="sheet-citizen">
      <p className="sheet-label">{t('citizen')}</p>
      <dl>
        {fields
          .filter((f): f is [MessageKey, string] => f[1] !== undefined)
          .map(([key, value]) => (
            <div key={key}>
              <dt>{t(key)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {item.legalBasis && (
        <p className="sheet-small">
          {t('runSheet.legalBasis', { text: locale === 'fr' ? item.legalBasis.fr : item.legalBasis.en })}
        </p>
      )}
    </div>
  );
}

/**
 * The sheet as it is printed: black on white, one box per task with its code in large type, what to
 * do, the citizen where the reader may read them (else a line to fill from the file), boxes to tick
 * and lines for the outcome. Nothing relies on colour.
 */
export function RunSheetPrint({ sheet, types }: { sheet: RunSheet; types: TaskType[] }) {
  const { t, locale, formatDate } = useI18n();
  const slotText = useSlotText();
  const label = (key: string) => {
    const type = types.find((ty) => ty.key === key);
    return type ? (locale === 'fr' ? type.labelFr : type.labelEn) : key;
  };
  const personal = sheet.items.some((i) => i.citizen);
  return (
    <article className="run-sheet" aria-labelledby="sheet-title">
      <header>
        <h1 id="sheet-title">{t('runSheet.sheetTitle', { commune: sheet.communeName })}</h1>
        <p>
          {t('runSheet.printedAt', { time: formatDate(sheet.printedAt), name: sheet.printedBy, n: sheet.items.length })}
        </p>
        <p>{t('runSheet.howTo')}</p>
        {personal && <p className="sheet-warning">{t('runSheet.confidential')}</p>}
      </header>
      <ol className="sheet-tasks">
        {sheet.items.map((item) => (
          <li key={item.task.id} className="sheet-task">
            <p className="sheet-code">{item.task.code}</p>
            <p className="sheet-type">
              {label(item.task.type)} — {t(item.task.priority)} —{' '}
              {t('runSheet.due', { date: formatDate(item.task.dueAt) })}
            </p>
            <h2>{item.task.title}</h2>
            {item.task.details && <p className="sheet-details">{item.task.details}</p>}
            <dl className="sheet-small">
              <div>
                <dt>{t('deliveryMode')}</dt>
                <dd>{t(item.task.deliveryMode)}</dd>
              </div>
              {item.task.slot && (
                <div>
                  <dt>{t('appointments.slot')}</dt>
                  <dd>{slotText(item.task.slot)}</dd>
                </div>
              )}
            </dl>
            <Citizen item={item} />
            <p className="sheet-ticks">
              <TickBox label={t('runSheet.done')} />
              <TickBox label={t('runSheet.notDone')} />
            </p>
            <p className="sheet-label">{t('runSheet.outcome')}</p>
            <div className="write-in" aria-hidden="true" />
            <div className="write-in" aria-hidden="true" />
          </li>
        ))}
      </ol>
    </article>
  );
}
