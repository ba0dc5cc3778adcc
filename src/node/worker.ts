import type { Batch, BatchResult } from './batch.js';
import { processBatch } from './process-batch.js';

/** Piscina task: one batch of raw records in, its output lines and tallies out. */
export default function analyzeBatch(batch: Batch): BatchResult {
  return processBatch(batch);
}
