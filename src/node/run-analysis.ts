import type { RecordSettings } from './analyze-record.js';
import { describeRejection, type Batch, type BatchResult } from './batch.js';
import type { BatchRunner } from './batch-runner.js';
import { readSource } from './input/read-source.js';
import type { OutputSink } from './output-sink.js';
import type { CapturedSpan } from '../formats/captured-span.js';
import { processSpans, rejectionResult } from './process-batch.js';
import type { Progress } from './progress.js';
import type { ReportConsumer } from './report-consumer.js';
import { addBatch, type RunTotals } from './run-totals.js';

/** Input bytes per batch: tens of conversations, enough to amortize a worker round trip. */
export const BATCH_BYTES = 256 * 1024;

/** Everything a run needs; the caller opens and closes the resources. */
export interface AnalysisRun {
  inputs: readonly string[];
  settings: Omit<RecordSettings, 'keepReports'>;
  runner: BatchRunner;
  /** Batches allowed in flight at once; bounds memory whatever the input size. */
  maxInFlight: number;
  /** Longest JSONL line read; a longer one becomes an error line (default: no limit). */
  maxLineBytes?: number;
  strict: boolean;
  output: OutputSink;
  consumers: readonly ReportConsumer[];
  /** Also prints the rejected records (`file:line: message`). */
  progress: Progress;
  totals: RunTotals;
}

/** How a run ended: `strictStop` when `--strict` stopped it at the first rejected record. */
export interface AnalysisOutcome {
  strictStop: boolean;
}

/** A batch's result to come; wrapped because an async generator would await a bare promise before yielding it. */
interface Pending {
  result: Promise<BatchResult>;
}

/** The settings of every record of a run: trace records hand back their spans, assembled at the end of the input. */
function recordSettings(run: AnalysisRun): RecordSettings {
  return { ...run.settings, keepReports: run.consumers.length > 0, collectTraces: true };
}

async function* pendingResults(run: AnalysisRun): AsyncGenerator<Pending> {
  const settings = recordSettings(run);
  const onBytes = (bytes: number) => {
    run.totals.inputBytes += bytes;
  };
  for (const source of run.inputs) {
    for await (const piece of readSource(source, BATCH_BYTES, onBytes, run.maxLineBytes)) {
      if (piece.kind === 'unreadable') {
        yield { result: Promise.resolve(rejectionResult(source, piece.unit, piece.number, piece.message)) };
      } else {
        const batch: Batch = { source, unit: piece.unit, first: piece.first, bytes: piece.bytes, settings, stopAtRejection: run.strict };
        yield { result: run.runner.run(batch) };
      }
    }
  }
}

/** Writes one batch's output and tallies, keeping its spans; returns false when `--strict` must stop here. */
async function emit(run: AnalysisRun, result: BatchResult, spans: CapturedSpan[]): Promise<boolean> {
  for (const span of result.spans) spans.push(span);
  await run.output.write(result.output);
  for (const { id, report, meta } of result.conversations) {
    for (const consumer of run.consumers) consumer.write(id, report, meta);
  }
  for (const rejection of result.rejections) run.progress.print(describeRejection(rejection));
  addBatch(run.totals, result);
  run.progress.update(run.totals, performance.now());
  return !(run.strict && result.rejected > 0);
}

/**
 * Reads every input in order, keeps up to `maxInFlight` batches running, and writes their results strictly in
 * input order as they complete. Waiting on the oldest batch (and on the output stream's back-pressure) before
 * reading more keeps memory flat on any input size.
 */
export async function runAnalysis(run: AnalysisRun): Promise<AnalysisOutcome> {
  const inFlight: Array<Promise<BatchResult>> = [];
  // Spans of every trace record: one session's spans come in many exports (a Collector file holds one per line),
  // so they are assembled once the whole input is read, as `signals ingest` stores them.
  const spans: CapturedSpan[] = [];
  const pending = pendingResults(run);
  let readError: unknown;
  for (;;) {
    let next: IteratorResult<Pending>;
    try {
      next = await pending.next();
    } catch (error) {
      // A read error (truncated gzip, a file gone): what was read before it is still written, then it is reported.
      readError = error;
      break;
    }
    if (next.done) break;
    const { result } = next.value;
    // Awaited later, in order; this only keeps an early worker failure from counting as unhandled.
    result.catch(() => {});
    inFlight.push(result);
    if (inFlight.length >= run.maxInFlight && !(await emit(run, await inFlight.shift()!, spans))) return { strictStop: true };
  }
  while (inFlight.length > 0) {
    if (!(await emit(run, await inFlight.shift()!, spans))) return { strictStop: true };
  }
  // The spans read before a read error are written too, then the error is reported.
  const complete = await emit(run, processSpans(spans, recordSettings(run), run.inputs.join(', ')), []);
  if (readError !== undefined) throw readError;
  return { strictStop: !complete };
}
