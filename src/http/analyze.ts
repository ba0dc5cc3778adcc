import { analyze, serializeReportLine } from '../core/index.js';
import type { SignalReport } from '../core/types.js';
import {
  detectFormat,
  FORMAT_NAMES,
  FormatError,
  isFormatName,
  toConversations,
  type Conversation,
  type FormatName,
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

/**
 * The conversations of one input record. An undetectable record is `unknown_format`; a record of a known
 * format with a bad shape is `invalid_conversation`, carrying the format reader's one-line message.
 */
export function conversationsOf(record: unknown, format: FormatName | undefined): Conversation[] {
  const resolved = format ?? detectFormat(record);
  if (resolved === undefined) {
    throw new ApiError(
      400,
      'unknown_format',
      `Could not recognise the conversation format; send one of ${FORMAT_NAMES.join(', ')} or name it with ?format=`,
    );
  }
  try {
    return toConversations(record, resolved);
  } catch (err) {
    if (err instanceof FormatError) throw new ApiError(400, 'invalid_conversation', `${resolved}: ${err.message}`);
    throw err;
  }
}

/**
 * Analyzes one conversation, refusing those above the row cap before any work: the cap is what keeps one
 * request inside the CPU budget of a Worker.
 */
export function analyzeCapped(conversation: Conversation, maxMessages: number): SignalReport {
  const rows = conversation.messages.length;
  if (rows > maxMessages) {
    throw new ApiError(
      413,
      'too_many_messages',
      `Conversation has ${rows} messages; at most ${maxMessages} are accepted per conversation (SIGNALS_MAX_MESSAGES)`,
    );
  }
  return analyze(conversation.messages);
}

/**
 * Analyzes one conversation (capped) and returns its compact `{"id","report"}` line. With `includeMessages`,
 * the converted rows the message indices point into are appended as `"messages"` (the playground shows them).
 */
export function reportLine(conversation: Conversation, maxMessages: number, includeMessages = false): string {
  const line = serializeReportLine(conversation.id ?? null, analyzeCapped(conversation, maxMessages));
  return includeMessages ? `${line.slice(0, -1)},"messages":${JSON.stringify(conversation.messages)}}` : line;
}
