import { Piscina } from 'piscina';
import type { Batch, BatchResult } from './batch.js';
import { processBatch } from './process-batch.js';

/** Runs batches either on this thread or on a worker pool; results keep no order, the caller restores it. */
export interface BatchRunner {
  run(batch: Batch): Promise<BatchResult>;
  close(): Promise<void>;
}

/** `--threads 1`: batches run on the main thread, no workers started. */
export function inlineRunner(): BatchRunner {
  return {
    run: async (batch) => processBatch(batch),
    close: async () => {},
  };
}

/** A Piscina pool of `threads` workers running the compiled `worker.js` next to this file. */
export function poolRunner(threads: number): BatchRunner {
  const pool = new Piscina<Batch, BatchResult>({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  return {
    run: (batch) => pool.run(batch),
    close: () => pool.destroy(),
  };
}
