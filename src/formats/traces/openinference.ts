import { isJsonObject, type JsonObject } from '../json-value.js';
import { assistantMessage, chatMessage, chatMessages, chatRole, contentText, maybeJson, toolCall, toolMessage, toolRun } from './chat.js';
import { hasPrefix, indexedGroups } from './indexed.js';
import type { SpanRead, SpanView } from './span-view.js';

/** Content part types that carry text (chat `text`, Responses API `input_text` / `output_text`). */
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);

/** `message.contents.K.message_content.{type,text}` → the text parts joined (images and audio are not text). */
function contentsText(group: JsonObject): string {
  return indexedGroups(group, 'message.contents')
    .filter((part) => TEXT_PARTS.has(String(part['message_content.type'] ?? 'text')) && typeof part['message_content.text'] === 'string')
    .map((part) => part['message_content.text'] as string)
    .join('\n');
}

function messageOf(group: JsonObject): JsonObject | undefined {
  const role = chatRole(group['message.role']);
  const text = group['message.content'] !== undefined ? contentText(group['message.content']) : contentsText(group);
  if (role === 'assistant') {
    const calls = indexedGroups(group, 'message.tool_calls').map((call) =>
      toolCall(call['tool_call.id'], call['tool_call.function.name'], call['tool_call.function.arguments']),
    );
    return assistantMessage(text, calls);
  }
  if (role === 'tool') return toolMessage(group['message.tool_call_id'], text);
  return role === undefined ? undefined : { role, content: text };
}

function listOf(attributes: JsonObject, prefix: string): JsonObject[] {
  return indexedGroups(attributes, prefix)
    .map(messageOf)
    .filter((message): message is JsonObject => message !== undefined);
}

/** An LLM span without message attributes: `input.value` / `output.value` holding the raw OpenAI request and response JSON. */
function rawValues(a: JsonObject): JsonObject[] | undefined {
  const input = maybeJson(a['input.value']);
  const requestMessages = isJsonObject(input) ? chatMessages(input.messages) : undefined;
  if (requestMessages === undefined) return undefined;
  const output = maybeJson(a['output.value']);
  const choices = isJsonObject(output) && Array.isArray(output.choices) ? output.choices : [];
  const replies = choices.map((choice) => (isJsonObject(choice) ? chatMessage({ role: 'assistant', ...(isJsonObject(choice.message) ? choice.message : {}) }) : undefined));
  return [...requestMessages, ...replies.filter((m): m is JsonObject => m !== undefined)];
}

/**
 * OpenInference (Arize Phoenix): `llm.input_messages.N.message.{role,content,contents.K.message_content.*,
 * tool_calls.M.tool_call.{id,function.name,function.arguments},tool_call_id}` and `llm.output_messages.*` on LLM
 * spans (else the raw request/response in `input.value` / `output.value`); a TOOL span (`openinference.span.kind`)
 * is a tool run from `tool.name`, `input.value` (arguments) and `output.value` (result).
 */
export function readOpenInference(span: SpanView): SpanRead | undefined {
  const a = span.attributes;
  const kind = a['openinference.span.kind'];
  if (hasPrefix(a, 'llm.input_messages') || hasPrefix(a, 'llm.output_messages')) {
    return { messages: [...listOf(a, 'llm.input_messages'), ...listOf(a, 'llm.output_messages')], kind: 'llm' };
  }
  if (kind === 'TOOL') {
    const id = a['tool_call.id'] ?? a['tool.id'];
    return { messages: toolRun(id, a['tool.name'] ?? span.name, a['input.value'], a['output.value'] ?? ''), kind: 'tool' };
  }
  if (kind === 'LLM') {
    const messages = rawValues(a);
    return messages === undefined ? undefined : { messages, kind: 'llm' };
  }
  return undefined;
}
