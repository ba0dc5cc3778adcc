import type { Attributes } from '@opentelemetry/api';
import type { Message } from '../core/types.js';
import { openAIToMessages } from '../formats/index.js';
import { otelMessagesToOpenAI } from '../formats/otel-genai-messages.js';

/** GenAI semantic-convention attributes holding the chat messages of an LLM call, as JSON text. */
export const GENAI_MESSAGE_KEYS = ['gen_ai.input.messages', 'gen_ai.output.messages'] as const;

/**
 * The conversation recorded on a GenAI span: input then output messages, converted to rows the way the formats'
 * OTLP reader does (GenAI parts → OpenAI messages → §2.5 rows), so a span gets the same report live and from a
 * file. `undefined` when the span carries neither attribute. Throws on malformed message JSON.
 */
export function spanConversation(attributes: Attributes): Message[] | undefined {
  const present = GENAI_MESSAGE_KEYS.filter((key) => attributes[key] !== undefined);
  if (present.length === 0) return undefined;
  const openAI = present.flatMap((key) => {
    const text = attributes[key];
    if (typeof text !== 'string') throw new TypeError(`${key} must be a JSON string`);
    return otelMessagesToOpenAI(JSON.parse(text), key);
  });
  return openAIToMessages(openAI);
}
