import { limits } from '../../../../shared/limits';
import type { TaskSlotInput } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';

/** The slot as the form holds it: the text of each field. */
export interface SlotDraft {
  start: string;
  minutes: string;
  place: string;
}

export const emptySlot: SlotDraft = { start: '', minutes: '30', place: '' };

/** The draft as the API takes it; a field left blank is sent as it is, for the schema to name. */
export function slotInput(draft: SlotDraft): TaskSlotInput {
  const start = draft.start ? new Date(draft.start) : undefined;
  return {
    start: start && !Number.isNaN(start.getTime()) ? start.toISOString() : draft.start,
    durationMinutes: Number(draft.minutes),
    place: draft.place,
  };
}

/** An appointment's slot in the post form: when, for how long, where (never the citizen). */
export function SlotFields({
  value,
  onChange,
  errors,
}: {
  value: SlotDraft;
  onChange: (next: SlotDraft) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useI18n();
  const input = (key: keyof SlotDraft, errorKey: string) => ({
    id: `f-slot-${key}`,
    value: value[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value }),
    'aria-invalid': errors[errorKey] ? true : undefined,
    'aria-describedby': errors[errorKey] ? `e-slot-${key}` : undefined,
  });
  const error = (key: keyof SlotDraft, errorKey: string) =>
    errors[errorKey] && (
      <p id={`e-slot-${key}`} className="field-error">
        {errors[errorKey]}
      </p>
    );
  return (
    <fieldset className="slot-fields">
      <legend>{t('appointments.slot')}</legend>
      <p className="hint">{t('appointments.slotHint')}</p>
      {errors.slot && <p className="field-error">{errors.slot}</p>}
      <div>
        <label htmlFor="f-slot-start">{t('appointments.slotStart')}</label>
        <input {...input('start', 'slot.start')} type="datetime-local" required />
        {error('start', 'slot.start')}
      </div>
      <div>
        <label htmlFor="f-slot-minutes">{t('appointments.slotDuration')}</label>
        <input
          {...input('minutes', 'slot.durationMinutes')}
          type="number"
          inputMode="numeric"
          min={limits.slotMinutesMin}
          max={limits.slotMinutesMax}
          step={5}
          required
        />
        {error('minutes', 'slot.durationMinutes')}
      </div>
      <div>
        <label htmlFor="f-slot-place">{t('appointments.slotPlace')}</label>
        <input {...input('place', 'slot.place')} maxLength={limits.slotPlaceMax} required autoComplete="off" />
        <p className="hint">{t('appointments.slotPlaceHint')}</p>
        {error('place', 'slot.place')}
      </div>
    </fieldset>
  );
}
