import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';
import { appendAll } from './append-all.js';

/** Text blocks of a content array → chat `text` parts; other blocks (images, documents, thinking) are skipped. */
function textParts(blocks: unknown[]): JsonObject[] {
  const parts: JsonObject[] = [];
  for (const block of blocks) {
    if (isJsonObject(block) && block.type === 'text' && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
  }
  return parts;
}

/** A `tool_result` content is a string or an array of blocks. `is_error` does not change the text: signals come from what the tool said. */
function toolResultContent(content: unknown, where: string): unknown {
  if (Array.isArray(content)) return textParts(content);
  if (typeof content === 'string' || content === undefined || content === null) return content ?? '';
  throw new FormatError(`${where}: tool_result content must be a string or an array of blocks, got ${jsonTypeOf(content)}`);
}

function userMessages(blocks: unknown[], where: string): JsonObject[] {
  const messages: JsonObject[] = [];
  let hasToolResult = false;
  let hasText = false;
  blocks.forEach((block, i) => {
    if (!isJsonObject(block)) throw new FormatError(`${where}.content[${i}]: block must be an object, got ${jsonTypeOf(block)}`);
    if (block.type === 'tool_result') {
      hasToolResult = true;
      messages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolResultContent(block.content, `${where}.content[${i}]`) });
    }
    if (block.type === 'text') hasText = true;
  });
  // A user message that only carries tool results is not a user turn; anything else (even image-only) is one.
  if (hasText || !hasToolResult) messages.push({ role: 'user', content: textParts(blocks) });
  return messages;
}

function assistantMessage(blocks: unknown[], where: string): JsonObject {
  const toolCalls: JsonObject[] = [];
  blocks.forEach((block, i) => {
    if (!isJsonObject(block)) throw new FormatError(`${where}.content[${i}]: block must be an object, got ${jsonTypeOf(block)}`);
    if (block.type !== 'tool_use') return;
    const args = block.input === undefined ? '' : JSON.stringify(block.input);
    toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: args } });
  });
  return { role: 'assistant', content: textParts(blocks), tool_calls: toolCalls };
}

/**
 * Anthropic Messages → OpenAI Chat Completions messages. `tool_use` blocks become tool calls with
 * `arguments = JSON.stringify(input)`; each `tool_result` becomes a tool message placed before the user's text.
 * The top-level `system` prompt is not part of `messages` and is dropped like any system message.
 */
export function anthropicToOpenAI(messages: unknown[]): JsonObject[] {
  const converted: JsonObject[] = [];
  messages.forEach((message, i) => {
    const where = `messages[${i}]`;
    if (!isJsonObject(message)) throw new FormatError(`${where}: message must be an object, got ${jsonTypeOf(message)}`);
    const { role, content } = message;
    if (!Array.isArray(content)) {
      converted.push({ role, content });
    } else if (role === 'user') {
      appendAll(converted, userMessages(content, where));
    } else if (role === 'assistant') {
      converted.push(assistantMessage(content, where));
    } else {
      converted.push({ role, content: textParts(content) });
    }
  });
  return converted;
}
