import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import type { Notice } from './use-editor';

/** The outcome of the last save, beside the form's button, where the eye is; announced too. */
export function SaveNotice({ notice }: { notice: Notice | undefined }) {
  const { t } = useI18n();
  const say = useProblemText();
  if (!notice) return null;
  const text =
    'key' in notice ? t(notice.key, { name: 'name' in notice ? (notice.name ?? '') : '' }) : say(notice.error);
  return (
    <p className={`notice ${notice.ok ? 'ok' : 'conflict'}`} role={notice.ok ? 'status' : 'alert'}>
      {text}
    </p>
  );
}
