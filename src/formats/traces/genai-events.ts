import { isJsonObject, type JsonObject } from '../json-value.js';
import { assistantMessage, chatMessage, chatMessages, maybeJson, toolMessage } from './chat.js';
import type { EventView, SpanRead, SpanView } from './span-view.js';
import { appendAll } from '../append-all.js';

const ROLE_OF_EVENT: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** An event's body: the JSON of `gen_ai.event.content` (Azure AI Inference), a `body` attribute, or the attributes themselves. */
function bodyOf(event: EventView): JsonObject {
  const body = maybeJson(event.attributes['gen_ai.event.content'] ?? event.attributes.body);
  return isJsonObject(body) ? body : event.attributes;
}

/** One per-message event (the semconv events before 1.37) → a chat message, or undefined for other events. */
function messageOfEvent(event: EventView): JsonObject | undefined {
  const role = ROLE_OF_EVENT[event.name];
  const body = bodyOf(event);
  if (role !== undefined) {
    if (role === 'tool') return toolMessage(body.id ?? body.tool_call_id, typeof body.content === 'string' ? body.content : body.content ?? '');
    return chatMessage({ ...body, role: body.role === undefined || role !== 'assistant' ? role : body.role, tool_calls: maybeJson(body.tool_calls) });
  }
  if (event.name === 'gen_ai.choice') {
    const message = isJsonObject(body.message) ? body.message : body;
    return chatMessage({ ...message, role: 'assistant', tool_calls: maybeJson(message.tool_calls) });
  }
  return undefined;
}

/** `gen_ai.content.prompt` / `gen_ai.content.completion` events: a JSON message list, or plain text. */
function messagesOfContentEvent(event: EventView): JsonObject[] | undefined {
  const key = event.name === 'gen_ai.content.prompt' ? 'gen_ai.prompt' : event.name === 'gen_ai.content.completion' ? 'gen_ai.completion' : undefined;
  if (key === undefined) return undefined;
  const value = maybeJson(event.attributes[key]);
  if (typeof value === 'string') return value === '' ? [] : [key === 'gen_ai.prompt' ? { role: 'user', content: value } : assistantMessage(value)];
  const list = Array.isArray(value) ? value.map((m) => (isJsonObject(m) && m.role === undefined && key === 'gen_ai.completion' ? { ...m, role: 'assistant' } : m)) : value;
  return chatMessages(list);
}

/**
 * GenAI messages recorded as span events: the per-message events `gen_ai.system.message`, `gen_ai.user.message`,
 * `gen_ai.assistant.message`, `gen_ai.tool.message` and `gen_ai.choice` (body in `gen_ai.event.content` or in
 * the attributes), and the older `gen_ai.content.prompt` / `gen_ai.content.completion` events.
 */
export function readGenAIEvents(span: SpanView): SpanRead | undefined {
  const messages: JsonObject[] = [];
  let found = false;
  for (const event of span.events) {
    const fromContent = messagesOfContentEvent(event);
    if (fromContent !== undefined) {
      found = true;
      appendAll(messages, fromContent);
      continue;
    }
    const message = messageOfEvent(event);
    if (message !== undefined) {
      found = true;
      messages.push(message);
    }
  }
  return found ? { messages, kind: 'llm' } : undefined;
}
