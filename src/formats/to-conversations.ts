import type { Message } from '../core/types.js';
import { anthropicToOpenAI } from './anthropic.js';
import type { Conversation, FormatName } from './conversation.js';
import { detectFormat } from './detect.js';
import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf } from './json-value.js';
import { openAIToMessages } from './openai.js';
import { otlpToConversations } from './otlp.js';
import { responsesToOpenAI } from './responses.js';
import { shareGPTToMessages } from './sharegpt.js';
import { tauResultToConversation } from './tau.js';

type ChatFormat = Exclude<FormatName, 'otlp' | 'tau'>;

function messagesOf(list: unknown, format: ChatFormat): Message[] {
  if (format === 'responses') return openAIToMessages(responsesToOpenAI(list));
  if (!Array.isArray(list)) throw new FormatError(`messages must be an array, got ${jsonTypeOf(list)}`);
  if (format === 'sharegpt') return shareGPTToMessages(list);
  if (format === 'anthropic') return openAIToMessages(anthropicToOpenAI(list));
  return openAIToMessages(list);
}

/** A chat record: a bare message array, or `{id, messages | conversations | input, meta}` (a Responses `output` is appended to its `input`). */
function chatConversation(record: unknown, format: ChatFormat): Conversation {
  if (Array.isArray(record)) return { id: null, messages: messagesOf(record, format) };
  if (!isJsonObject(record)) throw new FormatError(`record must be an object or an array, got ${jsonTypeOf(record)}`);
  let list = record.messages ?? record.conversations ?? record.input;
  if (list === undefined) throw new FormatError('record has no "messages" array');
  if (format === 'responses' && Array.isArray(list) && Array.isArray(record.output)) list = [...list, ...record.output];
  const conversation: Conversation = { id: record.id ?? null, messages: messagesOf(list, format) };
  if (isJsonObject(record.meta)) conversation.meta = record.meta;
  return conversation;
}

/** The task results of a tau record: an array of them, a tau2 results file's `simulations`, or one result. */
function tauResults(record: unknown): unknown[] {
  if (Array.isArray(record)) return record;
  if (isJsonObject(record) && Array.isArray(record.simulations)) return record.simulations;
  return [record];
}

/**
 * One input record (a JSONL line's value, one element of a JSON array, or a whole OTLP export) → its
 * conversations, in the given format or the detected one. Throws FormatError with a one-line message on a bad shape.
 */
export function toConversations(record: unknown, format?: FormatName): Conversation[] {
  const resolved = format ?? detectFormat(record);
  switch (resolved) {
    case undefined:
      throw new FormatError('unrecognized record: expected "messages", "conversations", "input", "traj" or "resourceSpans", or an array of messages');
    case 'otlp':
      return otlpToConversations(record);
    case 'tau':
      return tauResults(record).map(tauResultToConversation);
    default:
      return [chatConversation(record, resolved)];
  }
}
