import type { PublicTask } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';

type Slot = NonNullable<PublicTask['slot']>;

/** An appointment's slot in words: when, how long, where. */
export function useSlotText(): (slot: Slot, labelled?: boolean) => string {
  const { t, formatDate } = useI18n();
  return (slot, labelled = false) =>
    t(labelled ? 'appointments.slotLine' : 'appointments.slotValue', {
      start: formatDate(slot.start),
      minutes: slot.durationMinutes,
      place: slot.place,
    });
}

/** An appointment's slot in one line, on a card. Nothing for a task without one. */
export function SlotLine({ slot }: { slot: PublicTask['slot'] }) {
  const slotText = useSlotText();
  if (!slot) return null;
  return (
    <p className="meta slot" data-testid="task-slot">
      <time dateTime={slot.start}>{slotText(slot, true)}</time>
    </p>
  );
}
