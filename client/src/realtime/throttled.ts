/**
 * Runs `run` at once when it has not run for `everyMs`; otherwise once, when `everyMs` has passed
 * since it last ran, however many kicks came meanwhile. A burst of board events makes one reload.
 */
export function throttled(run: () => void, everyMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = now();
    run();
  };
  const kick = (): void => {
    if (timer !== undefined) return;
    const wait = last + everyMs - now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return { kick, cancel };
}
