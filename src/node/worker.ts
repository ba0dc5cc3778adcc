import { parentPort } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Batch, BatchResult } from './batch.js';
import { processBatch } from './process-batch.js';

/** Piscina task: one batch of raw records in, its output lines and tallies out, the output bytes transferred (not copied). */
export default function analyzeBatch(batch: Batch): BatchResult {
  const result = processBatch(batch);
  // Piscina hands the main thread the value; the transfer list only says which buffers change hands.
  return move({ [transferableSymbol]: [result.output.buffer], [valueSymbol]: result }) as unknown as BatchResult;
}

/** The message a pool thread posts once this module (and everything it imports) is loaded. */
export const WORKER_LOADED = 'signals-batch-worker-loaded';

// Node 20 aborts the whole process ("v8::Module::IsGraphAsync") when a worker thread is terminated while it is still
// loading its ES modules: the pool waits for this message from every thread before it terminates them.
parentPort?.postMessage(WORKER_LOADED);
