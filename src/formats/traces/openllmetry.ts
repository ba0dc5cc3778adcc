import type { JsonObject } from '../json-value.js';
import { assistantMessage, chatRole, contentText, jsonOrText, maybeJson, toolCall, toolMessage, toolRun } from './chat.js';
import { hasPrefix, indexedGroups } from './indexed.js';
import type { SpanRead, SpanView } from './span-view.js';

/** The tool calls of one indexed message: `tool_calls.M.{id,name,arguments}`, or the legacy `function_call.{name,arguments}`. */
function callsOf(group: JsonObject): JsonObject[] {
  const calls = indexedGroups(group, 'tool_calls').map((call) => toolCall(call.id, call.name, call.arguments));
  if (calls.length === 0 && group['function_call.name'] !== undefined) calls.push(toolCall('', group['function_call.name'], group['function_call.arguments']));
  return calls;
}

function messageOf(group: JsonObject, defaultRole: string): JsonObject | undefined {
  const role = chatRole(group.role ?? defaultRole);
  // Content is text, or the JSON of a content-part list for multimodal messages.
  const text = contentText(maybeJson(group.content ?? ''));
  if (role === 'assistant') return assistantMessage(text, callsOf(group));
  if (role === 'tool') return toolMessage(group.tool_call_id, typeof group.content === 'string' ? group.content : text);
  return role === undefined ? undefined : { role, content: text };
}

/** A Traceloop tool span: `traceloop.span.kind` = tool, `traceloop.entity.input` = JSON `{args, kwargs}`, `traceloop.entity.output`. */
function toolSpan(span: SpanView): SpanRead | undefined {
  const a = span.attributes;
  if (a['traceloop.span.kind'] !== 'tool' || a['traceloop.entity.input'] === undefined) return undefined;
  const input = maybeJson(a['traceloop.entity.input']);
  const args = input !== null && typeof input === 'object' && !Array.isArray(input) && 'kwargs' in input ? (input as JsonObject).kwargs : input;
  // Traceloop writes the return value as JSON, so a string result arrives quoted.
  const output = jsonOrText(a['traceloop.entity.output']);
  return { messages: toolRun('', a['traceloop.entity.name'] ?? span.name, args, output ?? ''), kind: 'tool' };
}

/**
 * OpenLLMetry (Traceloop) indexed attributes: `gen_ai.prompt.N.{role,content,tool_call_id,tool_calls.M.*}` then
 * `gen_ai.completion.N.{role,content,tool_calls.M.*}`; tool definitions (`llm.request.functions.*`) carry no turn.
 * Tool spans (`traceloop.span.kind` = tool) are tool runs.
 */
export function readOpenLLMetry(span: SpanView): SpanRead | undefined {
  const a = span.attributes;
  if (!hasPrefix(a, 'gen_ai.prompt') && !hasPrefix(a, 'gen_ai.completion')) return toolSpan(span);
  const messages: JsonObject[] = [];
  for (const group of indexedGroups(a, 'gen_ai.prompt')) {
    const message = messageOf(group, 'user');
    if (message !== undefined) messages.push(message);
  }
  for (const group of indexedGroups(a, 'gen_ai.completion')) {
    const message = messageOf(group, 'assistant');
    if (message !== undefined) messages.push(message);
  }
  return { messages, kind: 'llm' };
}
