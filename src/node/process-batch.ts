import type { SignalReport } from '../core/types.js';
import { analyzeRecord, errorLine } from './analyze-record.js';
import { recordLocation, type Batch, type BatchResult, type RecordUnit } from './batch.js';

const SIGNAL_LAYERS = ['interaction_signals', 'execution_signals', 'environment_signals'] as const;

function emptyResult(): BatchResult {
  return { output: '', scored: 0, rejected: 0, rejections: [], quality: {}, signalTypes: {}, conversations: [] };
}

function countReport(result: BatchResult, report: SignalReport): void {
  result.quality[report.overall_quality] = (result.quality[report.overall_quality] ?? 0) + 1;
  for (const layer of SIGNAL_LAYERS) {
    for (const group of Object.values(report[layer])) {
      for (const { signal_type } of group.signals) result.signalTypes[signal_type] = (result.signalTypes[signal_type] ?? 0) + 1;
    }
  }
}

/** Adds a rejected record: its error line in the output and its rejection for stderr. */
export function addRejection(result: BatchResult, source: string, unit: RecordUnit, number: number, id: unknown, message: string): void {
  result.rejections.push({ source, unit, number, id, message });
  result.output += `${errorLine(id, recordLocation(unit, number), message)}\n`;
  result.rejected++;
}

/** A result holding only one rejected record, for errors found while reading (a broken JSON array). */
export function rejectionResult(source: string, unit: RecordUnit, number: number, message: string): BatchResult {
  const result = emptyResult();
  addRejection(result, source, unit, number, null, message);
  return result;
}

function recordTexts(batch: Batch): string[] {
  const text = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength).toString('utf8');
  return batch.unit === 'document' ? [text] : text.split('\n');
}

/**
 * Analyzes every record of a batch, in order (up to the first rejected one with `stopAtRejection`). Blank records
 * produce nothing, as in the reference replay driver. This is the only code path from input bytes to output
 * lines, shared by the inline runner and the workers.
 */
export function processBatch(batch: Batch): BatchResult {
  const result = emptyResult();
  const texts = recordTexts(batch);
  for (let i = 0; i < texts.length && !(batch.stopAtRejection && result.rejected > 0); i++) {
    const text = texts[i].trim();
    if (text === '') continue;
    const number = batch.first + i;
    const outcome = analyzeRecord(text, batch.settings);
    if (!outcome.ok) {
      addRejection(result, batch.source, batch.unit, number, outcome.id, outcome.message);
      continue;
    }
    for (const line of outcome.lines) result.output += `${line}\n`;
    for (const report of outcome.reports) countReport(result, report);
    result.scored += outcome.reports.length;
    result.conversations.push(...outcome.kept);
  }
  return result;
}
