import type { Message } from '../core/types.js';

/** The input formats this package reads. */
export type FormatName = 'sharegpt' | 'openai' | 'responses' | 'anthropic' | 'langchain' | 'otlp' | 'langfuse' | 'openai-agents' | 'tau';

/** One conversation ready for `analyze`: its id (any JSON value), its rows and the metadata carried from the input. */
export interface Conversation {
  id: unknown;
  messages: Message[];
  meta?: Record<string, unknown>;
}
