import { useState, type SubmitEvent } from 'react';
import type { Task } from '../../../../shared/schemas';
import { limits } from '../../../../shared/limits';
import { ApiError } from '../../api/client';
import { questionsApi } from '../../api/questions';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';

/**
 * Questions on the task page: the holder's clerk asks the requesting commune (the task waits in
 * waiting_info); the requesting commune's manager sees the question and answers it (the task goes back
 * where it was). `onChanged` gets the task as the server answered; a stale version reads it again.
 */
export function QuestionPanel({ task, onChanged }: { task: Task; onChanged: (task: Task | undefined) => void }) {
  const { t, formatDate } = useI18n();
  const say = useProblemText();
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const waiting = task.waiting;
  if (!waiting && !task.abilities.ask) return null;

  const send = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const updated = await (waiting ? questionsApi.answer : questionsApi.ask)(task.id, task.version, text.trim());
      setText('');
      setAsking(false);
      onChanged(updated);
    } catch (err) {
      setError(say(err));
      // Someone changed the task meanwhile: read it again, the text typed is kept.
      if (err instanceof ApiError && err.problem.code === 'stale_version') onChanged(undefined);
    } finally {
      setBusy(false);
    }
  };

  const form = (field: 'question.askField' | 'question.answerField', submit: 'question.send' | 'question.answer') => (
    <form className="question-form" onSubmit={(e) => void send(e)}>
      <label htmlFor="question-text">{t(field)}</label>
      <textarea
        id="question-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        required
        maxLength={limits.noteMax}
      />
      <div className="actions">
        <button type="submit" disabled={busy || text.trim() === ''}>
          {t(submit)}
        </button>
        {!waiting && (
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            {t('close')}
          </button>
        )}
      </div>
    </form>
  );

  return (
    <section className="question no-print" aria-labelledby="question-title">
      <h2 id="question-title">{t('question.title')}</h2>
      {error && (
        <p className="notice conflict" role="alert">
          {error}
        </p>
      )}
      {waiting ? (
        <>
          <p>
            <span className="badge waiting">{t('question.badge')}</span> {t('question.waiting')}
          </p>
          <blockquote className="question-text">{waiting.question}</blockquote>
          <p className="hint">
            {t('question.asked')} <time dateTime={waiting.since}>{formatDate(waiting.since)}</time>
          </p>
          {task.abilities.answer && form('question.answerField', 'question.answer')}
        </>
      ) : asking ? (
        form('question.askField', 'question.send')
      ) : (
        <>
          <p className="hint">{t('question.askHint')}</p>
          <button type="button" onClick={() => setAsking(true)}>
            {t('question.ask')}
          </button>
        </>
      )}
    </section>
  );
}
