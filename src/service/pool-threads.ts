/**
 * Closing a Piscina pool safely on Node 20: Piscina loads a thread's module with `require()`, which for an ES module
 * goes on past the module's evaluation (Node builds a facade module). A thread terminated inside that call aborts
 * the whole process (`CreateRequiredModuleFacade`, `IsGraphAsync` assertions), which a short CLI run or a service
 * stopped right after it started can hit. So each pool module says when it is loaded, from a microtask queued by
 * its evaluation (it runs once the `require()` has returned: a pool thread then blocks waiting for tasks, so a timer
 * would not fire), and a pool is destroyed only once its first threads said so.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { Piscina } from 'piscina';

const THREAD_LOADED = 'signals-thread-loaded';

/** Called at the top level of a pool thread's module: tells the pool the module is loaded. */
export function announceThreadLoaded(): void {
  queueMicrotask(() => parentPort?.postMessage({ [THREAD_LOADED]: threadId }));
}

/**
 * `pool.destroy()` once every thread the pool started with has announced it is loaded or has gone (at most
 * `limitMs`: a module that fails to load never announces). Call it right after constructing the pool. Threads that
 * replace a lost one are not waited for: Piscina itself uses them only once they have loaded.
 */
export function destroyWhenLoaded(pool: Piscina, limitMs = 10_000): () => Promise<void> {
  const loading = new Set(pool.threads.map((thread) => thread.threadId));
  let settle: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (settle = resolve));
  const gone = (id: unknown): void => {
    loading.delete(id as number);
    if (loading.size === 0) settle();
  };
  if (loading.size === 0) settle();
  pool.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && THREAD_LOADED in message) gone((message as Record<string, unknown>)[THREAD_LOADED]);
  });
  pool.on('workerDestroy', (thread: { id: number }) => gone(thread.id));
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([loaded, new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
    await pool.destroy();
  };
}
