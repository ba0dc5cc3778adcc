/**
 * Cuts long synchronous work into slices: `tick()` yields to the event loop once the current slice has run for
 * `budgetMs`, so health checks and dashboard reads are answered while ingest or settling judges many targets
 * (the judges are synchronous CPU work on the same thread as the server).
 */
export function slicer(budgetMs = 10): { tick(): Promise<void> } {
  let start = performance.now();
  return {
    async tick() {
      if (performance.now() - start < budgetMs) return;
      await yieldToLoop();
      start = performance.now();
    },
  };
}

/** Lets timers and I/O callbacks waiting on the event loop run (setImmediate on Node, a zero timeout on Workers). */
export function yieldToLoop(): Promise<void> {
  // Looked up on globalThis: the Workers build has no Node types, so no setImmediate declaration.
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (typeof immediate === 'function' ? immediate(() => resolve()) : setTimeout(resolve, 0)));
}

/**
 * Runs a stepped computation (a generator that yields between steps, such as `backtestSteps`) to its end, yielding to
 * the event loop whenever a slice has run for `budgetMs`, so requests are answered meanwhile.
 */
export async function runSliced<T>(steps: Generator<void, T, void>, budgetMs = 10): Promise<T> {
  const slice = slicer(budgetMs);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    await slice.tick();
  }
}
