import { FormatError } from '../format-error.js';
import { isJsonObject, type JsonObject } from '../json-value.js';
import { assistantMessage, chatRole, contentText, jsonOrText, maybeJson, toolCall, toolMessage, toolRun } from './chat.js';
import type { SpanRead, SpanView } from './span-view.js';
import { appendAll } from '../append-all.js';

/** AI SDK 5 wraps tool outputs as `{type: "text" | "json" | "error-text" | "error-json", value}`; 4 gives the bare result. */
function toolOutput(part: JsonObject): unknown {
  const output = part.output ?? part.result;
  return isJsonObject(output) && typeof output.type === 'string' && 'value' in output ? output.value : output;
}

/** One AI SDK prompt message (`{role, content}` with `text` / `tool-call` / `tool-result` parts) → chat messages. */
function messagesOf(message: unknown): JsonObject[] {
  if (!isJsonObject(message)) return [];
  const role = chatRole(message.role);
  const parts = Array.isArray(message.content) ? message.content.filter(isJsonObject) : [];
  if (role === 'assistant') {
    const calls = parts.filter((p) => p.type === 'tool-call').map((p) => toolCall(p.toolCallId, p.toolName, p.input ?? p.args));
    return [assistantMessage(contentText(message.content === undefined ? '' : typeof message.content === 'string' ? message.content : parts.filter((p) => p.type === 'text')), calls)];
  }
  if (role === 'tool') return parts.filter((p) => p.type === 'tool-result').map((p) => toolMessage(p.toolCallId, toolOutput(p) ?? ''));
  if (role === 'user' || role === 'system') return [{ role, content: contentText(typeof message.content === 'string' ? message.content : parts.filter((p) => p.type === 'text')) }];
  return [];
}

function promptList(value: unknown, key: string): JsonObject[] {
  const parsed = maybeJson(value);
  if (!Array.isArray(parsed)) throw new FormatError(`attribute ${key} is not a JSON message list`);
  return parsed.flatMap(messagesOf);
}

/** `ai.prompt`: JSON `{system?, prompt?, messages?}` of a generateText / streamText call. */
function promptOf(value: unknown): JsonObject[] {
  const prompt = maybeJson(value);
  if (!isJsonObject(prompt)) throw new FormatError('attribute ai.prompt is not a JSON object');
  const messages: JsonObject[] = [];
  if (typeof prompt.system === 'string') messages.push({ role: 'system', content: prompt.system });
  if (typeof prompt.prompt === 'string') messages.push({ role: 'user', content: prompt.prompt });
  if (Array.isArray(prompt.messages)) appendAll(messages, prompt.messages.flatMap(messagesOf));
  return messages;
}

/** `ai.response.text` and `ai.response.toolCalls` (JSON `[{toolCallId, toolName, args | input}]`) → one assistant message. */
function responseOf(a: JsonObject): JsonObject[] {
  const text = typeof a['ai.response.text'] === 'string' ? a['ai.response.text'] : '';
  const listed = maybeJson(a['ai.response.toolCalls']);
  const calls = Array.isArray(listed) ? listed.filter(isJsonObject).map((c) => toolCall(c.toolCallId, c.toolName, c.input ?? c.args)) : [];
  return text === '' && calls.length === 0 ? [] : [assistantMessage(text, calls)];
}

/**
 * Vercel AI SDK telemetry: `ai.prompt.messages` on the provider call spans (`ai.generateText.doGenerate`,
 * `ai.streamText.doStream`), `ai.prompt` on the outer `ai.generateText` / `ai.streamText` span, the answer in
 * `ai.response.text` / `ai.response.toolCalls`; `ai.toolCall` spans are tool runs (`ai.toolCall.name|id|args|result`,
 * `input`/`output` in AI SDK 5).
 */
export function readVercelAI(span: SpanView): SpanRead | undefined {
  const a = span.attributes;
  if (a['ai.toolCall.name'] !== undefined) {
    // The result is JSON text (a string result arrives quoted); AI SDK 5 names it output.
    const result = jsonOrText(a['ai.toolCall.result'] ?? a['ai.toolCall.output'] ?? '');
    return { messages: toolRun(a['ai.toolCall.id'], a['ai.toolCall.name'], a['ai.toolCall.args'] ?? a['ai.toolCall.input'], result), kind: 'tool' };
  }
  if (a['ai.prompt.messages'] !== undefined) return { messages: [...promptList(a['ai.prompt.messages'], 'ai.prompt.messages'), ...responseOf(a)], kind: 'llm' };
  if (a['ai.prompt'] !== undefined) return { messages: [...promptOf(a['ai.prompt']), ...responseOf(a)], kind: 'llm' };
  return undefined;
}
