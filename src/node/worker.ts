import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Batch, BatchResult } from './batch.js';
import { announceThreadLoaded } from '../service/pool-threads.js';
import { processBatch } from './process-batch.js';

/** Piscina task: one batch of raw records in, its output lines and tallies out, the output bytes transferred (not copied). */
export default function analyzeBatch(batch: Batch): BatchResult {
  const result = processBatch(batch);
  // Piscina hands the main thread the value; the transfer list only says which buffers change hands.
  return move({ [transferableSymbol]: [result.output.buffer], [valueSymbol]: result }) as unknown as BatchResult;
}

announceThreadLoaded();
