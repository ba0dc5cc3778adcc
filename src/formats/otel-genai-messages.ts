import { FormatError } from './format-error.js';
import { asJsonText, isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';
import { appendAll } from './append-all.js';

function partsOfType(parts: unknown[], type: string): JsonObject[] {
  return parts.filter((part): part is JsonObject => isJsonObject(part) && part.type === type);
}

function textOf(parts: unknown[]): JsonObject[] {
  return partsOfType(parts, 'text')
    .filter((part) => typeof part.content === 'string')
    .map((part) => ({ type: 'text', text: part.content }));
}

function toolMessages(parts: unknown[]): JsonObject[] {
  // The conventions name the output `response`; some instrumentations write `result`.
  return partsOfType(parts, 'tool_call_response').map((part) => ({ role: 'tool', tool_call_id: part.id, content: asJsonText(part.response ?? part.result) }));
}

/**
 * OpenTelemetry GenAI chat messages (`[{role, parts: [{type: "text", content}, {type: "tool_call", id, name,
 * arguments}, {type: "tool_call_response", id, response | result}]}]`) → OpenAI Chat Completions messages. Tool call
 * arguments and responses that are not strings are serialized to JSON text. System messages and roles outside
 * user/assistant/tool are dropped (the conventions allow custom roles; none of them is a conversation turn).
 */
export function otelMessagesToOpenAI(messages: unknown, where: string): JsonObject[] {
  if (!Array.isArray(messages)) throw new FormatError(`${where}: messages must be an array, got ${jsonTypeOf(messages)}`);
  const converted: JsonObject[] = [];
  messages.forEach((message, i) => {
    if (!isJsonObject(message) || !Array.isArray(message.parts)) {
      throw new FormatError(`${where}[${i}]: message must be an object with a "parts" array`);
    }
    const { role, parts } = message;
    if (role === 'assistant') {
      const toolCalls = partsOfType(parts, 'tool_call').map((part) => ({
        id: part.id,
        type: 'function',
        function: { name: part.name ?? '', arguments: part.arguments === null || part.arguments === undefined ? '' : asJsonText(part.arguments) },
      }));
      converted.push({ role, content: textOf(parts), tool_calls: toolCalls });
    } else if (role === 'tool') {
      const responses = toolMessages(parts);
      appendAll(converted, responses.length > 0 ? responses : [{ role, content: textOf(parts) }]);
    } else if (role === 'user') {
      const responses = toolMessages(parts);
      appendAll(converted, responses);
      const text = textOf(parts);
      if (text.length > 0 || responses.length === 0) converted.push({ role, content: text });
    }
  });
  return converted;
}
