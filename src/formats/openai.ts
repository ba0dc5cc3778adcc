import type { Message } from '../core/types.js';
import { FormatError } from './format-error.js';
import { asJsonText, isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';
import { appendAll } from './append-all.js';

/**
 * Text of an OpenAI `content` (spec §2.5): a string as is; for an array of parts the `text` of every
 * `type: "text"` part joined with "\n"; null or absent → "".
 */
export function openAIContentText(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw new FormatError(`${where}: content must be a string, an array of parts or null, got ${jsonTypeOf(content)}`);
  const texts: string[] = [];
  for (const part of content) {
    if (isJsonObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

/**
 * The `function_call` row value of one tool call: compact `{"name","arguments"}` with both as strings.
 * Accepts the OpenAI shape `{function: {name, arguments}}` and the flat `{name, arguments}` one (tau2, legacy
 * `function_call`). Missing arguments become ""; non-string arguments are serialized to JSON text.
 */
export function toolCallRowValue(call: unknown, where: string): string {
  if (!isJsonObject(call)) throw new FormatError(`${where}: tool call must be an object, got ${jsonTypeOf(call)}`);
  const fn: JsonObject = isJsonObject(call.function) ? call.function : call;
  const name = fn.name ?? '';
  if (typeof name !== 'string') throw new FormatError(`${where}: tool call name must be a string, got ${jsonTypeOf(name)}`);
  const args = fn.arguments === null || fn.arguments === undefined ? '' : asJsonText(fn.arguments);
  return JSON.stringify({ name, arguments: args });
}

function assistantRows(message: JsonObject, where: string): Message[] {
  const rows: Message[] = [];
  const text = openAIContentText(message.content, where);
  if (text !== '') rows.push({ from: 'gpt', value: text });
  const toolCalls = message.tool_calls ?? [];
  if (!Array.isArray(toolCalls)) throw new FormatError(`${where}: tool_calls must be an array, got ${jsonTypeOf(toolCalls)}`);
  toolCalls.forEach((call, i) => rows.push({ from: 'function_call', value: toolCallRowValue(call, `${where}.tool_calls[${i}]`) }));
  if (message.function_call !== undefined && message.function_call !== null) {
    rows.push({ from: 'function_call', value: toolCallRowValue(message.function_call, `${where}.function_call`) });
  }
  return rows;
}

/**
 * OpenAI Chat Completions messages → ShareGPT rows (spec §2.5), the one conversion every chat-shaped format goes
 * through. user → one `human` row always (tool calls on user messages, as tau2 records them, are not rows);
 * assistant → a `gpt` row when its text is non-empty, then one `function_call` row per tool call; tool and legacy
 * `function` results → one `observation` row always; system and developer → nothing.
 */
export function openAIToMessages(messages: unknown[]): Message[] {
  const rows: Message[] = [];
  messages.forEach((message, i) => {
    const where = `messages[${i}]`;
    if (!isJsonObject(message)) throw new FormatError(`${where}: message must be an object, got ${jsonTypeOf(message)}`);
    switch (message.role) {
      case 'user':
        rows.push({ from: 'human', value: openAIContentText(message.content, where) });
        break;
      case 'assistant':
        appendAll(rows, assistantRows(message, where));
        break;
      case 'tool':
      case 'function':
        rows.push({ from: 'observation', value: openAIContentText(message.content, where) });
        break;
      case 'system':
      case 'developer':
        break;
      default:
        throw new FormatError(`${where}: unknown role ${JSON.stringify(message.role ?? null)}`);
    }
  });
  return rows;
}
