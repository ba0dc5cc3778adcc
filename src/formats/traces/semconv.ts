import { FormatError } from '../format-error.js';
import type { JsonObject } from '../json-value.js';
import { otelMessagesToOpenAI } from '../otel-genai-messages.js';
import { contentText, toolRun } from './chat.js';
import type { SpanRead, SpanView } from './span-view.js';
import { appendAll } from '../append-all.js';

const INPUT = 'gen_ai.input.messages';
const OUTPUT = 'gen_ai.output.messages';
const SYSTEM = 'gen_ai.system_instructions';
/** The event that carries the same three attributes when an instrumentation records content as an event. */
export const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** A messages attribute as a JSON string (the usual encoding) or as structured AnyValue (array of kvlists). */
function structured(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new FormatError(`attribute ${key} is not valid JSON`);
  }
}

function messagesOf(attributes: JsonObject): JsonObject[] | undefined {
  if (attributes[INPUT] === undefined && attributes[OUTPUT] === undefined) return undefined;
  const messages: JsonObject[] = [];
  if (attributes[SYSTEM] !== undefined) {
    const text = contentText(structured(attributes[SYSTEM], SYSTEM));
    if (text !== '') messages.push({ role: 'system', content: text });
  }
  for (const key of [INPUT, OUTPUT]) {
    if (attributes[key] !== undefined) appendAll(messages, otelMessagesToOpenAI(structured(attributes[key], key), key));
  }
  return messages;
}

/**
 * OpenTelemetry GenAI semantic conventions: `gen_ai.input.messages` / `gen_ai.output.messages` /
 * `gen_ai.system_instructions` on the span (JSON strings or structured values) or on its
 * `gen_ai.client.inference.operation.details` event; an `execute_tool` span (`gen_ai.tool.name`,
 * `gen_ai.tool.call.id`, `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`) is a tool run.
 */
export function readSemconv(span: SpanView): SpanRead | undefined {
  const onSpan = messagesOf(span.attributes);
  if (onSpan !== undefined) return { messages: onSpan, kind: 'llm' };
  for (const event of span.events) {
    if (event.name !== DETAILS_EVENT) continue;
    const onEvent = messagesOf(event.attributes);
    if (onEvent !== undefined) return { messages: onEvent, kind: 'llm' };
  }
  const a = span.attributes;
  const isTool = a['gen_ai.operation.name'] === 'execute_tool' || a['gen_ai.tool.name'] !== undefined;
  if (isTool && (a['gen_ai.tool.call.arguments'] !== undefined || a['gen_ai.tool.call.result'] !== undefined)) {
    return { messages: toolRun(a['gen_ai.tool.call.id'], a['gen_ai.tool.name'], a['gen_ai.tool.call.arguments'], a['gen_ai.tool.call.result']), kind: 'tool' };
  }
  return undefined;
}
