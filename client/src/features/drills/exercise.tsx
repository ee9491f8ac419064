import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Drill, User } from '../../../../shared/schemas';
import { drillsApi } from '../../api/drills';
import { useI18n } from '../../i18n/i18n';

/** How often the region's running drill is read again (a drill started or ended elsewhere). */
const drillEveryMs = 15_000;
const storageKey = 'entraide.exercise';

export interface Exercise {
  /** The region's running drill, if any. */
  running: Drill | null;
  /** The drill whose made-up tasks the board shows: set in exercise mode while a drill runs. */
  drillId: string | null;
  setMode: (on: boolean) => void;
  /** Reads the running drill again (after a start or an end). */
  refresh: () => void;
}

const ExerciseContext = createContext<Exercise>({
  running: null,
  drillId: null,
  setMode: () => undefined,
  refresh: () => undefined,
});

export const useExercise = () => useContext(ExerciseContext);

const regionRoles: readonly User['role'][] = ['manager', 'clerk', 'coordinator'];

/**
 * Exercise mode for the signed-in user: on while they chose it and the drill they chose it for still
 * runs (kept for the browser tab, so that a reload stays in the drill); off by itself when it ends.
 */
export function ExerciseProvider({ user, children }: { user: User; children: ReactNode }) {
  const [running, setRunning] = useState<Drill | null>(null);
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem(storageKey));
  const member = regionRoles.includes(user.role);

  const refresh = useCallback(() => {
    if (!member) return;
    void drillsApi.list().then(
      (list) => setRunning(list.running),
      () => undefined,
    );
  }, [member]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, drillEveryMs);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const setMode = useCallback(
    (on: boolean) => {
      const id = on && running ? running.id : null;
      if (id) sessionStorage.setItem(storageKey, id);
      else sessionStorage.removeItem(storageKey);
      setChosen(id);
    },
    [running],
  );

  const value = useMemo<Exercise>(
    () => ({ running, drillId: running && chosen === running.id ? running.id : null, setMode, refresh }),
    [running, chosen, setMode, refresh],
  );
  return <ExerciseContext.Provider value={value}>{children}</ExerciseContext.Provider>;
}

/** On every page in exercise mode: the board and the tasks are made up. */
export function ExerciseBanner() {
  const { t } = useI18n();
  const { running, drillId } = useExercise();
  if (!running || !drillId) return null;
  return (
    <div className="exercise-banner" role="status">
      <strong>{t('drill.banner')}</strong> <span>{t('drill.bannerDetail', { name: running.name })}</span>
    </div>
  );
}

/** The board's switch between the real board and the running drill's. */
export function ExerciseToggle() {
  const { t } = useI18n();
  const { running, drillId, setMode } = useExercise();
  if (!running) return null;
  return (
    <p className="exercise-toggle">
      <label className="check">
        <input type="checkbox" checked={drillId !== null} onChange={(e) => setMode(e.target.checked)} />
        {t('drill.mode')}
      </label>{' '}
      <span className="hint">{t('drill.modeHint', { name: running.name })}</span>
    </p>
  );
}
