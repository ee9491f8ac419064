import { useEffect, useState } from 'react';
import type { RunSheet, Task, TaskType, User } from '../../../../shared/schemas';
import { api } from '../../api/client';
import { runSheetsApi } from '../../api/run-sheets';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { RunSheetPrint } from './run-sheet-print';
import './run-sheets.css';

type Source = 'held' | 'own';

/**
 * The tasks a sheet may hold: those the commune holds and can work on (not those waiting on their
 * requester's answer, which a sheet's results could not complete), or (its managers) its own requests
 * not finished, waiting ones included.
 */
function listQuery(source: Source, communeId: string) {
  return source === 'held'
    ? { claimedBy: communeId, status: 'claimed,in_progress', sort: 'due' as const, limit: 100 }
    : { commune: communeId, status: 'open,claimed,in_progress,waiting_info', sort: 'due' as const, limit: 100 };
}

/**
 * A paper run-sheet: the commune's clerk or manager chooses the tasks it holds (a manager, its own
 * commune's requests too), and gets the sheet to print. The sheet is made by the server, which
 * records each citizen read on it.
 */
export function RunSheetPage({ user }: { user: User }) {
  const { t, locale, formatDate } = useI18n();
  const say = useProblemText();
  const communeId = user.communeId ?? '';
  const [source, setSource] = useState<Source>(user.role === 'manager' ? 'own' : 'held');
  const [tasks, setTasks] = useState<Task[]>();
  const [types, setTypes] = useState<TaskType[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [sheet, setSheet] = useState<RunSheet>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    api.taskTypes().then(setTypes, setError);
  }, []);
  useEffect(() => {
    let current = true;
    api.tasks(listQuery(source, communeId)).then(
      (page) => {
        if (!current) return;
        setTasks(page.items);
        setChosen([]);
      },
      (err: unknown) => {
        if (current) setError(err);
      },
    );
    return () => {
      current = false;
    };
  }, [source, communeId]);

  const label = (key: string) => {
    const type = types.find((ty) => ty.key === key);
    return type ? (locale === 'fr' ? type.labelFr : type.labelEn) : key;
  };
  const toggle = (id: string) => setChosen((ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id]));
  const prepare = async () => {
    setError(undefined);
    try {
      // In the list's order, whatever order they were ticked in.
      setSheet(await runSheetsApi.print((tasks ?? []).filter((x) => chosen.includes(x.id)).map((x) => x.id)));
    } catch (err) {
      setError(err);
    }
  };

  if (sheet) {
    return (
      <section className="run-sheet-page" aria-label={t('runSheet.title')}>
        <p className="no-print sheet-actions">
          <button type="button" className="secondary" onClick={() => setSheet(undefined)}>
            {t('runSheet.back')}
          </button>
          <button type="button" onClick={() => window.print()}>
            {t('runSheet.print')}
          </button>
        </p>
        <RunSheetPrint sheet={sheet} types={types} />
      </section>
    );
  }

  return (
    <section className="run-sheet-page" aria-labelledby="run-sheet-title">
      <h1 id="run-sheet-title">{t('runSheet.title')}</h1>
      <p>{t('runSheet.intro')}</p>
      {user.role === 'manager' && (
        <fieldset className="sheet-source">
          <legend>{t('runSheet.which')}</legend>
          {(['own', 'held'] as const).map((s) => (
            <label key={s}>
              <input type="radio" name="sheet-source" checked={source === s} onChange={() => setSource(s)} />{' '}
              {t(s === 'own' ? 'runSheet.own' : 'runSheet.held')}
            </label>
          ))}
        </fieldset>
      )}
      {error !== undefined && (
        <p className="notice conflict" role="alert">
          {say(error)}
        </p>
      )}
      {!tasks && error === undefined && <p role="status">…</p>}
      {tasks?.length === 0 && <p>{t('runSheet.none')}</p>}
      {tasks && tasks.length > 0 && (
        <>
          <p className="sheet-actions">
            <button type="button" className="secondary" onClick={() => setChosen(tasks.map((x) => x.id))}>
              {t('runSheet.selectAll')}
            </button>
            <button type="button" className="secondary" onClick={() => setChosen([])}>
              {t('runSheet.selectNone')}
            </button>
          </p>
          <ul className="sheet-choice">
            {tasks.map((task) => (
              <li key={task.id}>
                <label>
                  <input type="checkbox" checked={chosen.includes(task.id)} onChange={() => toggle(task.id)} />
                  <span className="choice-code">{task.code}</span>
                  <span>
                    {task.title}
                    <span className="choice-meta">
                      {label(task.type)} — {t(task.status)} — {t('runSheet.due', { date: formatDate(task.dueAt) })}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <p className="sheet-actions">
            <span role="status">{t('runSheet.selected', { n: chosen.length })}</span>
            <button type="button" disabled={chosen.length === 0} onClick={() => void prepare()}>
              {t('runSheet.prepare')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
