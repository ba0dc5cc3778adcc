import type { CapturedSpan } from '../captured-span.js';
import { FormatError } from '../format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from '../json-value.js';
import { chatMessage, maybeJson, toolRun } from './chat.js';
import { isoToNanos } from './iso-nanos.js';
import type { ReadSpansResult } from './read-spans.js';

/** True for an OpenAI Agents SDK trace export: `{data: [{object: "trace" | "trace.span", …}]}`. */
export function isOpenAIAgentsExport(record: JsonObject): boolean {
  return Array.isArray(record.data) && record.data.some((item) => isJsonObject(item) && (item.object === 'trace.span' || item.object === 'trace'));
}

/** A generation's input or output: chat messages, or (as the SDK exports its output) raw `chat.completion` objects. */
function messagesOf(list: unknown): JsonObject[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (isJsonObject(item) && Array.isArray(item.choices)) {
      return item.choices.filter(isJsonObject).flatMap((choice) => {
        const message = chatMessage({ role: 'assistant', ...(isJsonObject(choice.message) ? choice.message : {}) });
        return message === undefined ? [] : [message];
      });
    }
    const message = chatMessage(item);
    return message === undefined ? [] : [message];
  });
}

/** A function span's result: its output, else the error it raised (a failed tool call is still a result). */
function functionResult(data: JsonObject, error: unknown): unknown {
  if (data.output !== undefined && data.output !== null) return maybeJson(data.output);
  if (isJsonObject(error)) return error.data === undefined || error.data === null ? error.message ?? '' : `${String(error.message ?? '')}: ${JSON.stringify(error.data)}`;
  return '';
}

function spanMessages(data: JsonObject, error: unknown): { messages: JsonObject[]; kind: CapturedSpan['kind']; llm: boolean } {
  switch (data.type) {
    case 'generation': {
      const messages = [...messagesOf(data.input), ...messagesOf(data.output)];
      return { messages, kind: messages.length > 0 ? 'llm' : 'other', llm: true };
    }
    case 'function':
      return { messages: toolRun('', data.name, maybeJson(data.input), functionResult(data, error)), kind: 'tool', llm: false };
    case 'response':
      // The exported response span holds only the response id: the messages stay on the OpenAI platform.
      return { messages: [], kind: 'other', llm: true };
    default:
      return { messages: [], kind: 'other', llm: false };
  }
}

/**
 * An OpenAI Agents SDK trace export (the tracing exporter's `{data: [trace, span…]}`: traces with `id`,
 * `workflow_name`, `group_id`; spans with `trace_id`, `parent_id`, `started_at`, `span_data`) → captured spans.
 * Generation spans carry chat messages, function spans a tool run; the agent is the nearest agent span's name,
 * the session the trace's `group_id`.
 */
export function readOpenAIAgentsExport(record: unknown, agent?: string): ReadSpansResult {
  if (!isJsonObject(record) || !isOpenAIAgentsExport(record)) throw new FormatError('OpenAI Agents export must be {"data": [trace and trace.span objects]}');
  const items = record.data as unknown[];
  const traces = new Map<string, JsonObject>();
  const spans = new Map<string, JsonObject>();
  items.forEach((item, i) => {
    if (!isJsonObject(item)) throw new FormatError(`data[${i}]: item must be an object, got ${jsonTypeOf(item)}`);
    if (item.object === 'trace') traces.set(String(item.id ?? ''), item);
    else if (item.object === 'trace.span') spans.set(String(item.id ?? ''), item);
  });
  const agentOf = (span: JsonObject): string | undefined => {
    for (let current: JsonObject | undefined = span, hops = 0; current !== undefined && hops <= spans.size; hops++) {
      const data = isJsonObject(current.span_data) ? current.span_data : {};
      if (data.type === 'agent' && typeof data.name === 'string') return data.name;
      current = current.parent_id === undefined || current.parent_id === null ? undefined : spans.get(String(current.parent_id));
    }
    return undefined;
  };
  const result: ReadSpansResult = { spans: [], warnings: [] };
  for (const span of spans.values()) {
    const data = isJsonObject(span.span_data) ? span.span_data : {};
    const traceId = String(span.trace_id ?? '');
    const trace = traces.get(traceId);
    const { messages, kind, llm } = spanMessages(data, span.error);
    const name = typeof data.name === 'string' ? data.name : String(data.type ?? '');
    const unreadable = llm && messages.length === 0;
    const spanId = String(span.id ?? '');
    if (unreadable) result.warnings.push({ name, traceId, spanId, reason: `${String(data.type)} span without input/output messages` });
    result.spans.push({
      traceId,
      spanId,
      parentSpanId: span.parent_id === undefined || span.parent_id === null ? '' : String(span.parent_id),
      name,
      agent: agent ?? agentOf(span) ?? (typeof trace?.workflow_name === 'string' ? trace.workflow_name : 'unknown'),
      sessionId: trace?.group_id === undefined || trace.group_id === null ? null : String(trace.group_id),
      convention: 'openai-agents',
      kind,
      startTimeUnixNano: isoToNanos(span.started_at),
      endTimeUnixNano: isoToNanos(span.ended_at ?? span.started_at),
      model: typeof data.model === 'string' ? data.model : null,
      messages,
      unreadable,
    });
  }
  // After the spans (which keep their export order)...
  // ...each trace object as a root span without messages: it carries the session (group_id) to spans of the trace
  // that arrive in other exports (the SDK's batches split traces and their spans).
  for (const [traceId, trace] of traces) {
    result.spans.push({
      traceId,
      spanId: traceId,
      parentSpanId: '',
      name: typeof trace.workflow_name === 'string' ? trace.workflow_name : 'trace',
      agent: agent ?? (typeof trace.workflow_name === 'string' ? trace.workflow_name : 'unknown'),
      sessionId: trace.group_id === undefined || trace.group_id === null ? null : String(trace.group_id),
      convention: 'openai-agents',
      kind: 'other',
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      model: null,
      messages: [],
      unreadable: false,
    });
  }
  return result;
}
