import { useEffect, useState } from 'react';
import { drillLimits, type Drill } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { drillsApi } from '../../api/drills';
import { fieldMessage } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { useExercise } from './exercise';

/**
 * The coordinator's drill controls on the dashboard: start one (name, number of made-up tasks,
 * planned length), end the running one, and the report of the last one ended.
 */
export function DrillPanel() {
  const { t, locale, formatDate } = useI18n();
  const problemText = useProblemText();
  const { running, refresh } = useExercise();
  const [last, setLast] = useState<Drill | null>(null);
  const [form, setForm] = useState({ name: '', tasks: '20', durationMinutes: String(drillLimits.durationDefault) });
  const [problem, setProblem] = useState<{ text: string; fields: Record<string, string> }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void drillsApi.list().then(
      (list) => setLast(list.items[0] ?? null),
      () => undefined,
    );
  }, []);

  const failed = (err: unknown) => {
    const fields =
      err instanceof ApiError
        ? Object.fromEntries((err.problem.errors ?? []).map((e) => [e.field, fieldMessage(locale, e)]))
        : {};
    setProblem({ text: problemText(err), fields });
  };

  const start = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await drillsApi.start({
        name: form.name,
        tasks: Number(form.tasks),
        durationMinutes: Number(form.durationMinutes),
      });
      refresh();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const end = async (drill: Drill) => {
    if (!window.confirm(t('drill.confirmEnd', { name: drill.name }))) return;
    setBusy(true);
    setProblem(undefined);
    try {
      setLast(await drillsApi.end(drill.id));
      refresh();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) =>
    problem?.fields[field] ? (
      <span className="field-error" id={`drill-${field}-error`}>
        {problem.fields[field]}
      </span>
    ) : null;

  return (
    <section className="drill-panel" aria-labelledby="drill-title">
      <h2 id="drill-title">{t('drill.title')}</h2>
      <p className="hint">{t('drill.intro')}</p>
      {running ? (
        <p>
          {t('drill.running', { name: running.name, tasks: running.tasksPosted, date: formatDate(running.startedAt) })}{' '}
          <button type="button" disabled={busy} onClick={() => void end(running)}>
            {t('drill.end')}
          </button>
        </p>
      ) : (
        <form
          className="drill-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <label>
            {t('drill.name')}
            <input
              value={form.name}
              maxLength={drillLimits.nameMax}
              aria-invalid={problem?.fields.name ? true : undefined}
              aria-describedby={problem?.fields.name ? 'drill-name-error' : undefined}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
            {fieldError('name')}
          </label>
          <label>
            {t('drill.tasks')}
            <input
              type="number"
              inputMode="numeric"
              value={form.tasks}
              aria-invalid={problem?.fields.tasks ? true : undefined}
              aria-describedby={problem?.fields.tasks ? 'drill-tasks-error' : undefined}
              onChange={(e) => setForm({ ...form, tasks: e.target.value })}
            />
            {fieldError('tasks')}
          </label>
          <label>
            {t('drill.duration')}
            <input
              type="number"
              inputMode="numeric"
              value={form.durationMinutes}
              aria-invalid={problem?.fields.durationMinutes ? true : undefined}
              aria-describedby={problem?.fields.durationMinutes ? 'drill-durationMinutes-error' : undefined}
              onChange={(e) => setForm({ ...form, durationMinutes: e.target.value })}
            />
            {fieldError('durationMinutes')}
          </label>
          <button type="submit" disabled={busy}>
            {t('drill.start')}
          </button>
        </form>
      )}
      {problem && (
        <p className="notice conflict" role="alert">
          {problem.text}
        </p>
      )}
      {!running && last?.report && <DrillReportView drill={last} />}
    </section>
  );
}

function DrillReportView({ drill }: { drill: Drill }) {
  const { t } = useI18n();
  const report = drill.report;
  if (!report) return null;
  const communes = new Map<string, { name: string; claims: number; done: number }>();
  for (const c of report.claimsPerCommune) communes.set(c.communeId, { name: c.communeName, claims: c.n, done: 0 });
  for (const d of report.donePerCommune) {
    const row = communes.get(d.communeId) ?? { name: d.communeName, claims: 0, done: 0 };
    communes.set(d.communeId, { ...row, done: d.n });
  }
  return (
    <section className="drill-report" aria-labelledby="drill-report-title">
      <h3 id="drill-report-title">{t('drill.report', { name: drill.name })}</h3>
      <dl>
        <dt>{t('drill.tasksPosted')}</dt>
        <dd>{report.tasksPosted}</dd>
        <dt>{t('drill.firstClaim')}</dt>
        <dd>
          {report.secondsToFirstClaim === null
            ? t('drill.noClaim')
            : t('drill.seconds', { n: report.secondsToFirstClaim })}
        </dd>
        <dt>{t('drill.doneTotal')}</dt>
        <dd>{report.doneTotal}</dd>
        <dt>{t('drill.overdueAtEnd')}</dt>
        <dd>{report.overdueAtEnd}</dd>
      </dl>
      {communes.size > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('drill.commune')}</th>
              <th scope="col">{t('drill.claims')}</th>
              <th scope="col">{t('drill.done')}</th>
            </tr>
          </thead>
          <tbody>
            {[...communes.entries()].map(([id, c]) => (
              <tr key={id}>
                <th scope="row">{c.name}</th>
                <td>{c.claims}</td>
                <td>{c.done}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
