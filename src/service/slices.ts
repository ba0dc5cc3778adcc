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
