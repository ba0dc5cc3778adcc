import type { Conversation } from './conversation.js';
import { assembleConversations, type GroupBy } from './traces/assemble.js';
import { readSpans, type UnreadableSpan } from './traces/read-spans.js';

/** How trace records become conversations. */
export interface TraceOptions {
  /** The unit of one conversation; default `session` (the trace when a span has no session id). */
  group?: GroupBy;
  /** Agent name for every conversation, overriding what the spans say. */
  agent?: string;
}

/** Conversations read from traces, with the GenAI spans whose messages could not be read. */
export interface TraceConversations {
  conversations: Conversation[];
  warnings: UnreadableSpan[];
}

/**
 * An OTLP/JSON trace export → its conversations (see {@link assembleConversations}) and the unreadable GenAI spans.
 * Every convention {@link readSpans} knows is read; spans without GenAI attributes are ignored.
 */
export function otlpConversations(record: unknown, options: TraceOptions = {}): TraceConversations {
  const { spans, warnings } = readSpans(record, { agent: options.agent });
  return { conversations: assembleConversations(spans, options.group), warnings };
}

/** {@link otlpConversations} without the warnings. */
export function otlpToConversations(record: unknown, options: TraceOptions = {}): Conversation[] {
  return otlpConversations(record, options).conversations;
}
