import { analyze, serializeReportLine } from '../core/index.js';
import type { SignalReport } from '../core/types.js';
import {
  detectFormat,
  FORMAT_NAMES,
  FormatError,
  GROUP_NAMES,
  isFormatName,
  isGroupBy,
  readRecord,
  type Conversation,
  type FormatName,
  type GroupBy,
  type TraceConversations,
  type TraceOptions,
} from '../formats/index.js';
import { ApiError } from './errors.js';

/** Validates the optional `?format=` value; absent means auto-detect. */
export function parseFormatParam(value: string | undefined): FormatName | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isFormatName(value)) {
    throw new ApiError(400, 'unknown_format', `Unknown format "${value}"; expected one of ${FORMAT_NAMES.join(', ')}`);
  }
  return value;
}

/** Validates the optional `?group=` value (span, trace or session) for records read from traces. */
export function parseGroupParam(value: string | undefined): GroupBy | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isGroupBy(value)) throw new ApiError(400, 'bad_request', `Unknown group "${value}"; expected one of ${GROUP_NAMES.join(', ')}`);
  return value;
}

/**
 * The conversations of one input record. An undetectable record is `unknown_format`; a record of a known
 * format with a bad shape is `invalid_conversation`, carrying the format reader's one-line message.
 */
export function conversationsOf(record: unknown, format: FormatName | undefined, options: TraceOptions = {}): Conversation[] {
  return recordConversations(record, format, options).conversations;
}

/** {@link conversationsOf} with the GenAI spans of a trace record whose messages could not be read. */
export function recordConversations(record: unknown, format: FormatName | undefined, options: TraceOptions = {}): TraceConversations {
  const resolved = format ?? detectFormat(record);
  if (resolved === undefined) {
    throw new ApiError(
      400,
      'unknown_format',
      `Could not recognise the conversation format; send one of ${FORMAT_NAMES.join(', ')} or name it with ?format=`,
    );
  }
  try {
    return readRecord(record, { ...options, format: resolved });
  } catch (err) {
    if (err instanceof FormatError) throw new ApiError(400, 'invalid_conversation', `${resolved}: ${err.message}`);
    throw err;
  }
}

/**
 * Which rows of a conversation are analyzed: the last `maxMessages` (as the CLI's `--max-messages`), and the
 * longest conversation accepted at all (`maxRows`, the CPU bound of one request; none when only a window is read).
 */
export interface AnalysisWindow {
  maxMessages: number;
  maxRows?: number;
}

/**
 * The window of `?max_messages=`: a positive integer up to the server's cap, or `all` (every row, refusing a
 * conversation longer than the cap). Absent: the cap, the last `cap` rows of any conversation.
 */
export function windowOf(value: string | undefined, cap: number): AnalysisWindow {
  if (value === undefined || value === '') return { maxMessages: cap };
  if (value === 'all') return { maxMessages: Number.POSITIVE_INFINITY, maxRows: cap };
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > cap) {
    throw new ApiError(400, 'bad_request', `max_messages must be a positive integer up to ${cap} (SIGNALS_MAX_MESSAGES) or "all", got "${value}"`);
  }
  return { maxMessages: n };
}

/**
 * Analyzes one conversation over its window, refusing one longer than `maxRows` before any work: the cap is what
 * keeps one request inside the CPU budget of a Worker. A number `n` means "at most n rows, all of them analyzed".
 */
export function analyzeCapped(conversation: Conversation, limit: number | AnalysisWindow): SignalReport {
  const window = typeof limit === 'number' ? { maxMessages: limit, maxRows: limit } : limit;
  const rows = conversation.messages.length;
  if (window.maxRows !== undefined && rows > window.maxRows) {
    throw new ApiError(
      413,
      'too_many_messages',
      `Conversation has ${rows} messages; at most ${window.maxRows} are accepted per conversation (SIGNALS_MAX_MESSAGES)`,
    );
  }
  return analyze(conversation.messages, { maxMessages: window.maxMessages });
}

/**
 * Analyzes one conversation (capped) and returns its compact `{"id","report"}` line. With `includeMessages`,
 * the converted rows the message indices point into are appended as `"messages"` (the playground shows them).
 */
export function reportLine(conversation: Conversation, window: AnalysisWindow, includeMessages = false): string {
  const line = serializeReportLine(conversation.id ?? null, analyzeCapped(conversation, window));
  return includeMessages ? `${line.slice(0, -1)},"messages":${JSON.stringify(conversation.messages)}}` : line;
}
