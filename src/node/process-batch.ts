import type { SignalReport } from '../core/types.js';
import { assembleConversations, resolveAgents, type CapturedSpan } from '../formats/index.js';
import { analyzeConversations, analyzeRecord, errorLine, recordText, type RecordOutcome, type RecordSettings } from '../records/analyze-record.js';
import { keepSpanNames, keepWorst, recordLocation, type Batch, type BatchResult, type RecordUnit, type WorstConversation } from './batch.js';

const SIGNAL_LAYERS = ['interaction_signals', 'execution_signals', 'environment_signals'] as const;
const utf8 = new TextEncoder();

/** A batch result while it is built: output still as text. */
type Draft = Omit<BatchResult, 'output'> & { text: string };

function emptyDraft(): Draft {
  return { text: '', scored: 0, rejected: 0, rejections: [], quality: {}, signalTypes: {}, conversations: [], unreadableSpans: 0, unreadableSpanNames: [], worst: [], spans: [] };
}

/** Output as UTF-8 bytes in a buffer of its own, so a worker can transfer it instead of copying a string. */
function finish({ text, ...tallies }: Draft): BatchResult {
  return { output: utf8.encode(text), ...tallies };
}

function countReport(draft: Draft, report: SignalReport): void {
  draft.quality[report.overall_quality] = (draft.quality[report.overall_quality] ?? 0) + 1;
  for (const layer of SIGNAL_LAYERS) {
    for (const group of Object.values(report[layer])) {
      for (const { signal_type } of group.signals) draft.signalTypes[signal_type] = (draft.signalTypes[signal_type] ?? 0) + 1;
    }
  }
}

/** The summary's view of one conversation: bucket, score and its three most frequent signal types. */
function worstEntry(id: unknown, report: SignalReport): WorstConversation {
  const counts = new Map<string, number>();
  for (const layer of SIGNAL_LAYERS) {
    for (const group of Object.values(report[layer])) {
      for (const { signal_type } of group.signals) counts.set(signal_type, (counts.get(signal_type) ?? 0) + 1);
    }
  }
  const signals = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 3);
  return { id, quality: report.overall_quality, score: report.quality_score, signals };
}

function addRejection(draft: Draft, source: string, unit: RecordUnit, number: number, id: unknown, message: string): void {
  draft.rejections.push({ source, unit, number, id, message });
  draft.text += `${errorLine(id, recordLocation(unit, number), message)}\n`;
  draft.rejected++;
}

/** A result holding only one rejected record, for errors found while reading (a broken JSON array). */
export function rejectionResult(source: string, unit: RecordUnit, number: number, message: string): BatchResult {
  const draft = emptyDraft();
  addRejection(draft, source, unit, number, null, message);
  return finish(draft);
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
  const draft = emptyDraft();
  const texts = recordTexts(batch);
  for (let i = 0; i < texts.length && !(batch.stopAtRejection && draft.rejected > 0); i++) {
    const text = recordText(texts[i]);
    if (text === '') continue;
    const number = batch.first + i;
    const outcome = analyzeRecord(text, batch.settings);
    if (!outcome.ok) {
      addRejection(draft, batch.source, batch.unit, number, outcome.id, outcome.message);
      continue;
    }
    addOutcome(draft, outcome);
  }
  return finish(draft);
}

function addOutcome(draft: Draft, outcome: Extract<RecordOutcome, { ok: true }>): void {
  for (const line of outcome.lines) draft.text += `${line}\n`;
  for (const report of outcome.reports) countReport(draft, report);
  keepWorst(draft.worst, outcome.reports.map((report, r) => worstEntry(outcome.ids[r], report)));
  draft.scored += outcome.reports.length;
  draft.conversations.push(...outcome.kept);
  draft.unreadableSpans += outcome.unreadableSpans.length;
  keepSpanNames(draft.unreadableSpanNames, outcome.unreadableSpans.map((span) => span.name));
  for (const span of outcome.spans) draft.spans.push(span);
}

/**
 * The reports of the spans gathered from every trace record of a run (`collectTraces`), assembled as one traffic
 * (agents resolved across records, conversations grouped by session, trace or span as asked). A run whose trace
 * records hold GenAI spans but no conversation at all gets one error line saying so (`source` names the input).
 */
export function processSpans(spans: readonly CapturedSpan[], settings: RecordSettings, source: string): BatchResult {
  const draft = emptyDraft();
  if (spans.length === 0) return finish(draft);
  const conversations = assembleConversations(resolveAgents(spans), settings.group);
  if (conversations.length === 0) {
    addRejection(draft, source, 'document', 0, null, 'no GenAI span with readable messages in the trace exports');
    return finish(draft);
  }
  const outcome = analyzeConversations(conversations, [], true, (id) => JSON.stringify(id ?? null), settings);
  if (outcome.ok) addOutcome(draft, outcome);
  else addRejection(draft, source, 'document', 0, outcome.id, outcome.message);
  return finish(draft);
}
