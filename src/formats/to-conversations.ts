import type { Message } from '../core/types.js';
import { anthropicToOpenAI } from './anthropic.js';
import type { Conversation, FormatName } from './conversation.js';
import { detectFormat, unrecognizedReason } from './detect.js';
import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf } from './json-value.js';
import { langChainToOpenAI } from './langchain.js';
import { openAIToMessages } from './openai.js';
import { otlpConversations, type TraceConversations, type TraceOptions } from './otlp.js';
import { responsesToOpenAI } from './responses.js';
import { shareGPTToMessages } from './sharegpt.js';
import { tauResultToConversation } from './tau.js';
import { assembleConversations } from './traces/assemble.js';
import { readLangfuseExport } from './traces/langfuse-export.js';
import { readOpenAIAgentsExport } from './traces/openai-agents.js';
import { readSpans, type ReadSpansResult } from './traces/read-spans.js';

type ChatFormat = Exclude<FormatName, 'otlp' | 'tau' | 'langfuse' | 'openai-agents'>;

/** Options of {@link readRecord}: a forced format, and how trace records are grouped. */
export interface ReadOptions extends TraceOptions {
  /** Forced input format; detected when absent. A forced format that reads no message from a record is an error. */
  format?: FormatName;
}

function messagesOf(list: unknown, format: ChatFormat): Message[] {
  if (format === 'responses') return openAIToMessages(responsesToOpenAI(list));
  if (!Array.isArray(list)) throw new FormatError(`messages must be an array, got ${jsonTypeOf(list)}`);
  if (format === 'sharegpt') return shareGPTToMessages(list);
  if (format === 'anthropic') return openAIToMessages(anthropicToOpenAI(list));
  if (format === 'langchain') return openAIToMessages(langChainToOpenAI(list));
  return openAIToMessages(list);
}

/** A chat record: a bare message array, or `{id, messages | conversations | input, meta}` (a Responses `output` is appended to its `input`). */
function chatConversation(record: unknown, format: ChatFormat, forced: boolean): Conversation {
  const list = Array.isArray(record) ? record : listOf(record, format);
  const messages = messagesOf(list, format);
  // A forced format that fits nothing reads rows with empty `from` and `value` (or none): say so instead of scoring them.
  if (forced && Array.isArray(list) && list.length > 0 && messages.every((row) => row.from === '' && row.value === '')) {
    throw new FormatError(`no readable message as ${format} (${list.length} message${list.length === 1 ? '' : 's'} of another shape?)`);
  }
  if (Array.isArray(record)) return { id: null, messages };
  const object = record as Record<string, unknown>;
  const conversation: Conversation = { id: object.id ?? null, messages };
  if (isJsonObject(object.meta)) conversation.meta = object.meta;
  return conversation;
}

function listOf(record: unknown, format: ChatFormat): unknown {
  if (!isJsonObject(record)) throw new FormatError(`record must be an object or an array, got ${jsonTypeOf(record)}`);
  const list = record.messages ?? record.conversations ?? record.input;
  if (list === undefined) throw new FormatError('record has no "messages" array');
  if (format === 'responses' && Array.isArray(list) && Array.isArray(record.output)) return [...list, ...record.output];
  return list;
}

/** The task results of a tau record: an array of them, a tau2 results file's `simulations`, or one result. */
function tauResults(record: unknown): unknown[] {
  if (Array.isArray(record)) return record;
  if (isJsonObject(record) && Array.isArray(record.simulations)) return record.simulations;
  return [record];
}

/** The trace formats: records holding spans, assembled into conversations (across records by the CLI). */
export type TraceFormat = 'otlp' | 'langfuse' | 'openai-agents';

/** Whether a format's records hold spans (see {@link readTraceRecord}). */
export function isTraceFormat(format: FormatName | undefined): format is TraceFormat {
  return format === 'otlp' || format === 'langfuse' || format === 'openai-agents';
}

/**
 * The spans of one trace record (an OTLP/JSON export, a Langfuse export, an Agents SDK export) with the GenAI spans
 * whose messages could not be read, not yet assembled: a caller gathering the spans of many records assembles them
 * once. Throws FormatError on a malformed record.
 */
export function readTraceRecord(record: unknown, format: TraceFormat, agent?: string): ReadSpansResult {
  if (format === 'otlp') return readSpans(record, { agent });
  return format === 'langfuse' ? readLangfuseExport(record, agent) : readOpenAIAgentsExport(record, agent);
}

function assembled(read: ReadSpansResult, options: TraceOptions): TraceConversations {
  return { conversations: assembleConversations(read.spans, options.group), warnings: read.warnings };
}

/**
 * One input record (a JSONL line's value, one element of a JSON array, or a whole document) → its conversations,
 * in the given format or the detected one, with the GenAI spans of trace records whose messages could not be
 * read. Throws FormatError with a one-line message on a bad shape or an unrecognized record.
 */
export function readRecord(record: unknown, options: ReadOptions = {}): TraceConversations {
  const resolved = options.format ?? detectFormat(record);
  switch (resolved) {
    case undefined:
      throw new FormatError(unrecognizedReason(record));
    case 'otlp':
      return otlpConversations(record, options);
    case 'langfuse':
    case 'openai-agents':
      return assembled(readTraceRecord(record, resolved, options.agent), options);
    case 'tau':
      return { conversations: tauResults(record).map(tauResultToConversation), warnings: [] };
    default:
      return { conversations: [chatConversation(record, resolved, options.format !== undefined)], warnings: [] };
  }
}

/**
 * One input record → its conversations, in the given format or the detected one (see {@link readRecord}, which
 * also returns the unreadable GenAI spans). Throws FormatError with a one-line message on a bad shape.
 */
export function toConversations(record: unknown, format?: FormatName, options: TraceOptions = {}): Conversation[] {
  return readRecord(record, { ...options, format }).conversations;
}

/**
 * Throws FormatError when a trace record gave no conversation and no unreadable GenAI span: an export without any
 * GenAI span. For callers that must not answer such a record with silence (the CLI); a trace receiver accepts it.
 */
export function requireTraceContent(read: TraceConversations): void {
  if (read.conversations.length === 0 && read.warnings.length === 0) {
    throw new FormatError('no GenAI span with messages in this export (gen_ai.*, llm.*, ai.*, openinference.* or langfuse.* attributes)');
  }
}
