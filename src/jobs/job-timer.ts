/** A periodic job that never overlaps itself. */
export interface JobTimer {
  /** Starts a run now unless one is in flight; says whether it started one. */
  tick(): boolean;
  /** Stops the timer; resolves once the run in flight (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `job` every `intervalMs`, one run at a time: a tick that comes while a
 * run is still in flight (a sweep slower than its interval) is skipped, not
 * queued, so runs never pile up or overlap in this process. The schema still
 * guards against overlapping runs from elsewhere (another process or isolate).
 */
export function startJobTimer(job: () => Promise<unknown>, intervalMs: number, onSkip: () => void = () => {}): JobTimer {
  let running: Promise<void> | null = null;
  const tick = (): boolean => {
    if (running) {
      onSkip();
      return false;
    }
    running = job()
      .then(() => undefined, () => undefined)
      .finally(() => {
        running = null;
      });
    return true;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
