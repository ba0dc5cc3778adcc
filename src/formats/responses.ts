import { FormatError } from './format-error.js';
import { asJsonText, isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';

/** Responses content (a string or `input_text`/`output_text`/`text` parts) → chat content with `text` parts. */
function chatContent(content: unknown, where: string): unknown {
  if (typeof content === 'string' || content === null || content === undefined) return content;
  if (!Array.isArray(content)) throw new FormatError(`${where}: content must be a string or an array of parts, got ${jsonTypeOf(content)}`);
  const parts: JsonObject[] = [];
  for (const part of content) {
    if (!isJsonObject(part) || typeof part.text !== 'string') continue;
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') parts.push({ type: 'text', text: part.text });
  }
  return parts;
}

/** A tool output is a string, an array of content parts, or (from some SDKs) any JSON value. */
function toolOutputContent(output: unknown, where: string): unknown {
  return Array.isArray(output) ? chatContent(output, where) : asJsonText(output);
}

/**
 * OpenAI Responses API items → OpenAI Chat Completions messages. `message` items (also bare `{role, content}`)
 * keep their role; a `function_call` becomes an assistant message with one tool call; a `function_call_output`
 * becomes a tool message. Item types that carry no conversation text (reasoning, built-in tool calls) are skipped.
 * A plain string input is one user message.
 */
export function responsesToOpenAI(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new FormatError(`input must be a string or an array of items, got ${jsonTypeOf(input)}`);
  const messages: JsonObject[] = [];
  input.forEach((item, i) => {
    const where = `input[${i}]`;
    if (!isJsonObject(item)) throw new FormatError(`${where}: item must be an object, got ${jsonTypeOf(item)}`);
    const type = item.type ?? 'message';
    if (type === 'message') {
      messages.push({ role: item.role, content: chatContent(item.content, where) });
    } else if (type === 'function_call') {
      const call = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutputContent(item.output, where) });
    }
  });
  return messages;
}
