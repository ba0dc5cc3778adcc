import { asJsonText, isJsonObject, type JsonObject } from '../json-value.js';

/** A tool call in the OpenAI chat shape, arguments always as text. */
export function toolCall(id: unknown, name: unknown, args: unknown): JsonObject {
  return {
    id: id === undefined || id === null ? '' : String(id),
    type: 'function',
    function: { name: typeof name === 'string' ? name : '', arguments: args === undefined || args === null ? '' : asJsonText(args) },
  };
}

/** An assistant message: its text (may be empty) and tool calls. */
export function assistantMessage(text: string, calls: JsonObject[] = []): JsonObject {
  return calls.length > 0 ? { role: 'assistant', content: text, tool_calls: calls } : { role: 'assistant', content: text };
}

/** A tool result message. */
export function toolMessage(id: unknown, content: unknown): JsonObject {
  return { role: 'tool', tool_call_id: id === undefined || id === null ? '' : String(id), content: asJsonText(content) };
}

/** A tool span as chat messages: the assistant's call, then the tool's result. */
export function toolRun(id: unknown, name: unknown, args: unknown, result: unknown): JsonObject[] {
  return [assistantMessage('', [toolCall(id, name, args)]), toolMessage(id, result)];
}

/** Parses JSON text, or undefined when it is not JSON (the caller decides whether that is plain text or an error). */
export function tryJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A value an instrumentation wrote as JSON text (tool arguments and results): parsed when it is JSON, else as given. */
export function jsonOrText(value: unknown): unknown {
  const parsed = tryJson(value);
  return parsed === undefined ? value : parsed;
}

/** A value that may be a JSON object or array as text: parsed when it is, else as given (plain text stays text). */
export function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  const parsed = tryJson(value);
  return parsed === undefined ? value : parsed;
}

/**
 * The text of a message content in any of the shapes instrumentations write: a string; an array of parts with
 * `text` or `content` text (`{type: "text", text}`, semconv `{type: "text", content}`, OpenInference
 * `{message_content: {type, text}}`); one such part. Non-text parts are skipped.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(partText).filter((text) => text !== undefined).join('\n');
  if (isJsonObject(content)) return partText(content) ?? '';
  return '';
}

function partText(part: unknown): string | undefined {
  if (typeof part === 'string') return part;
  if (!isJsonObject(part)) return undefined;
  if (isJsonObject(part.message_content)) return partText(part.message_content);
  if (part.type !== undefined && part.type !== 'text' && part.type !== 'input_text' && part.type !== 'output_text') return undefined;
  if (typeof part.text === 'string') return part.text;
  if (typeof part.content === 'string') return part.content;
  return undefined;
}

/** Chat roles a conversation keeps (anything else, e.g. a custom role, is not a turn). */
export function chatRole(role: unknown): 'user' | 'assistant' | 'tool' | 'system' | undefined {
  switch (role) {
    case 'user':
    case 'human':
      return 'user';
    case 'assistant':
    case 'ai':
    case 'model':
      return 'assistant';
    case 'tool':
    case 'function':
    case 'ipython':
      return 'tool';
    case 'system':
    case 'developer':
      return 'system';
    default:
      return undefined;
  }
}

/**
 * Normalizes a message that is already close to the OpenAI chat shape (`{role, content, tool_calls, tool_call_id}`,
 * as Langfuse, Agents SDK generations and semconv events carry): content becomes text, tool calls get text
 * arguments. Undefined for an unknown role.
 */
export function chatMessage(message: unknown): JsonObject | undefined {
  if (!isJsonObject(message)) return undefined;
  const role = chatRole(message.role);
  if (role === undefined) return undefined;
  const text = contentText(message.content);
  if (role === 'assistant') {
    const calls = Array.isArray(message.tool_calls)
      ? message.tool_calls.filter(isJsonObject).map((call) => {
          const fn = isJsonObject(call.function) ? call.function : call;
          return toolCall(call.id, fn.name, fn.arguments);
        })
      : [];
    return assistantMessage(text, calls);
  }
  if (role === 'tool') {
    const content = typeof message.content === 'string' || Array.isArray(message.content) ? text : message.content;
    return toolMessage(message.tool_call_id ?? message.id, content ?? '');
  }
  return { role, content: text };
}

/** A list of OpenAI-like messages → normalized chat messages; undefined when it is not a list of such messages. */
export function chatMessages(list: unknown): JsonObject[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const messages: JsonObject[] = [];
  for (const item of list) {
    const message = chatMessage(item);
    if (message === undefined) return undefined;
    messages.push(message);
  }
  return messages;
}
