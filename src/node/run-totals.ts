import { keepSpanNames, keepWorst, type BatchResult, type WorstConversation } from './batch.js';

/** Everything counted over a run, for progress and the summary. Read = scored + rejected, always. */
export interface RunTotals {
  files: number;
  scored: number;
  rejected: number;
  quality: Record<string, number>;
  signalTypes: Record<string, number>;
  /** GenAI spans of trace records whose messages could not be read, and the first few of their names. */
  unreadableSpans: number;
  unreadableSpanNames: string[];
  /** The lowest-scored conversations so far, worst first. */
  worst: WorstConversation[];
  /** Raw bytes read from the inputs (compressed bytes for gzip). */
  inputBytes: number;
  /** Sum of the input file sizes; undefined when an input is stdin. */
  totalBytes: number | undefined;
  threads: number;
  startedAt: number;
}

/** Fresh totals for a run that starts now. */
export function newTotals(files: number, totalBytes: number | undefined, threads: number): RunTotals {
  return { files, scored: 0, rejected: 0, quality: {}, signalTypes: {}, unreadableSpans: 0, unreadableSpanNames: [], worst: [], inputBytes: 0, totalBytes, threads, startedAt: performance.now() };
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

/** Adds the tallies of one batch. */
export function addBatch(totals: RunTotals, result: BatchResult): void {
  totals.scored += result.scored;
  totals.rejected += result.rejected;
  addCounts(totals.quality, result.quality);
  addCounts(totals.signalTypes, result.signalTypes);
  totals.unreadableSpans += result.unreadableSpans;
  keepSpanNames(totals.unreadableSpanNames, result.unreadableSpanNames);
  keepWorst(totals.worst, result.worst);
}
