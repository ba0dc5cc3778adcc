import { analyze, serializeReport } from '../core/index.js';
import { parseJson, stringifyJson } from '../core/json.js';
import { trimWhitespace } from '../core/text.js';
import type { AnalyzeOptions, SignalReport } from '../core/types.js';
import {
  detectFormat,
  FormatError,
  isTraceFormat,
  readRecord,
  readTraceRecord,
  requireTraceContent,
  type CapturedSpan,
  type Conversation,
  type FormatName,
  type GroupBy,
  type UnreadableSpan,
} from '../formats/index.js';
import { parseRecord } from './parse-record.js';

/**
 * How one record is converted and analyzed: the same for the CLI (inline and workers) and the HTTP batch endpoint,
 * so the two cannot disagree on a record.
 */
export interface RecordSettings {
  /** Forced input format; detected per record when absent. */
  format?: FormatName;
  analyzeOptions: AnalyzeOptions;
  /** Keep the report objects (for report consumers such as `--otlp-out`), not only their serialized lines. */
  keepReports: boolean;
  /** Add `"quality_score"` after `"report"` on each line (`--with-score`); off, lines stay byte-identical to the reference. */
  withScore?: boolean;
  /** The unit of a conversation read from traces (`--group`); default: session where there is one, else trace. */
  group?: GroupBy;
  /** Agent name for conversations read from traces, overriding what the spans say. */
  agent?: string;
  /** Refuse (`too_many_messages`) a conversation with more rows than this; the HTTP service's CPU bound. */
  maxRows?: number;
  /**
   * Return the spans of trace records instead of their reports, for a caller that assembles the spans of all its
   * records at once (the CLI: a JSON Lines file of exports holds one session across many lines).
   */
  collectTraces?: boolean;
}

/** Why a record was rejected, as a machine-readable code (the HTTP error codes). */
export type RejectionCode = 'malformed_json' | 'unknown_format' | 'invalid_conversation' | 'too_many_messages' | 'internal_error';

/** One analyzed conversation, handed to report consumers. */
export interface AnalyzedConversation {
  id: unknown;
  report: SignalReport;
  meta?: Record<string, unknown>;
}

/** The result of one input record: its output lines, or why it was rejected. */
export type RecordOutcome =
  | { ok: true; lines: string[]; reports: SignalReport[]; ids: unknown[]; kept: AnalyzedConversation[]; unreadableSpans: UnreadableSpan[]; spans: CapturedSpan[] }
  | { ok: false; id: unknown; code: RejectionCode; message: string };

/**
 * The text of one JSON Lines record, or '' for a blank line (skipped, as the reference replay driver does): blank
 * means Unicode White_Space only, as the reference trims lines, so a BOM is not blank (and not JSON).
 */
export function recordText(line: string): string {
  return trimWhitespace(line);
}

/**
 * Formats whose conversations get their `meta` on the output line: tau results and OTLP spans carry the reward,
 * task id and trace ids nowhere else. A record's own `meta` is not echoed, so report lines of ShareGPT and chat
 * records stay byte-identical with the reference replay output (consumers still receive it).
 */
export const META_ECHOING_FORMATS: ReadonlySet<FormatName | undefined> = new Set(['tau', 'otlp', 'langfuse', 'openai-agents']);

/** Trace formats: an export of them with no GenAI span at all is an error line, not an empty success. */
const TRACE_FORMATS: ReadonlySet<FormatName | undefined> = new Set(['otlp', 'langfuse', 'openai-agents']);

/**
 * The output line of an analyzed conversation: the reference `{"id","report"}`, plus `"meta"` when given.
 * `idJson` is the id as JSON text; see {@link idJsonOf}.
 */
export function reportLine(idJson: string, report: SignalReport, meta: Record<string, unknown> | undefined, withScore = false): string {
  const end = meta === undefined ? '}' : `,"meta":${JSON.stringify(meta)}}`;
  const score = withScore ? `,"quality_score":${report.quality_score}` : '';
  return `{"id":${idJson},"report":${serializeReport(report)}${score}${end}`;
}

/**
 * The id as the reference echoes it: re-serialized from the JSON source, so a number keeps its integer or float
 * kind and its exact digits (`1.0` stays `1.0`, `12345678901234567890` stays exact), which `JSON.stringify` of the
 * parsed value would lose. Strings and other plain values take the fast path.
 */
export function idJsonOf(id: unknown, record: unknown, text: string): string {
  if (id === undefined || id === null) return 'null';
  if (typeof id !== 'number' && typeof id !== 'object') return JSON.stringify(id);
  if (typeof record !== 'object' || record === null || (record as { id?: unknown }).id !== id) return JSON.stringify(id);
  const source = parseJson(text);
  const node = source?.kind === 'object' ? source.entries.get('id') : undefined;
  return node ? stringifyJson(node) : JSON.stringify(id);
}

/** The output line of a rejected record, naming where it was (`line 12: …`). */
export function errorLine(id: unknown, location: string, message: string): string {
  return JSON.stringify({ id: id ?? null, error: `${location}: ${message}` });
}

function idOf(record: unknown): unknown {
  return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as { id?: unknown }).id ?? null : null;
}

/**
 * The per-record work: parse the JSON text, convert it from its format, analyze every conversation in it and
 * serialize the report lines. Never throws: a bad record comes back as `{ok: false}` with a one-line message.
 */
export function analyzeRecord(text: string, settings: RecordSettings): RecordOutcome {
  let record: unknown;
  try {
    record = parseRecord(text);
  } catch (error) {
    return { ok: false, id: null, code: 'malformed_json', message: `invalid JSON (${(error as Error).message})` };
  }
  return analyzeParsedRecord(record, text, settings);
}

/**
 * {@link analyzeRecord} for a record already parsed (an item of a JSON array). With its JSON `text`, numeric ids
 * are echoed with their source digits; without it (undefined), as `JSON.stringify` writes them.
 */
export function analyzeParsedRecord(record: unknown, text: string | undefined, settings: RecordSettings): RecordOutcome {
  const format = settings.format ?? detectFormat(record);
  try {
    if (settings.collectTraces === true && isTraceFormat(format)) {
      const read = readTraceRecord(record, format, settings.agent);
      if (read.spans.length === 0) throw new FormatError('no GenAI span in this export (gen_ai.*, llm.*, ai.*, openinference.* or langfuse.* attributes)');
      return { ok: true, lines: [], reports: [], ids: [], kept: [], unreadableSpans: read.warnings, spans: read.spans };
    }
    const { conversations, warnings } = readRecord(record, { format, group: settings.group, agent: settings.agent });
    if (TRACE_FORMATS.has(format)) requireTraceContent({ conversations, warnings });
    const idJson = (id: unknown) => (text === undefined ? JSON.stringify(id ?? null) : idJsonOf(id, record, text));
    return analyzeConversations(conversations, warnings, META_ECHOING_FORMATS.has(format), idJson, settings);
  } catch (error) {
    const code = !(error instanceof FormatError) ? 'internal_error' : format === undefined ? 'unknown_format' : 'invalid_conversation';
    return { ok: false, id: idOf(record), code, message: (error as Error).message };
  }
}

/**
 * Analyzes conversations already read (those of one record, or those assembled from the spans of many) into report
 * lines, with `meta` on each line when `echoMeta`; `idJson` writes an id as JSON text.
 */
export function analyzeConversations(
  conversations: readonly Conversation[],
  warnings: UnreadableSpan[],
  echoMeta: boolean,
  idJson: (id: unknown) => string,
  settings: RecordSettings,
): RecordOutcome {
  const lines: string[] = [];
  const reports: SignalReport[] = [];
  const ids: unknown[] = [];
  const kept: AnalyzedConversation[] = [];
  for (const { id, messages, meta } of conversations) {
    if (settings.maxRows !== undefined && messages.length > settings.maxRows) {
      const message = `conversation has ${messages.length} messages; at most ${settings.maxRows} are accepted (SIGNALS_MAX_MESSAGES)`;
      return { ok: false, id: id ?? null, code: 'too_many_messages', message };
    }
    const report = analyze(messages, settings.analyzeOptions);
    lines.push(reportLine(idJson(id), report, echoMeta ? meta : undefined, settings.withScore));
    reports.push(report);
    ids.push(id ?? null);
    if (settings.keepReports) kept.push(meta === undefined ? { id, report } : { id, report, meta });
  }
  return { ok: true, lines, reports, ids, kept, unreadableSpans: warnings, spans: [] };
}
