import type { Conversation } from './conversation.js';
import { FormatError } from './format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from './json-value.js';
import { openAIToMessages } from './openai.js';
import { otelMessagesToOpenAI } from './otel-genai-messages.js';

interface LlmCall {
  traceId: string;
  spanId: string;
  start: bigint;
  /** Input then output messages, as OpenAI chat messages. */
  messages: JsonObject[];
}

function attributeValue(span: JsonObject, key: string): string | undefined {
  if (!Array.isArray(span.attributes)) return undefined;
  const attribute = span.attributes.find((a) => isJsonObject(a) && a.key === key);
  const value = isJsonObject(attribute) && isJsonObject(attribute.value) ? attribute.value : undefined;
  const scalar = value?.stringValue ?? value?.intValue;
  return scalar === undefined || scalar === null ? undefined : String(scalar);
}

function parseMessages(span: JsonObject, key: string, where: string): JsonObject[] {
  const text = attributeValue(span, key);
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FormatError(`${where}: attribute ${key} is not valid JSON`);
  }
  return otelMessagesToOpenAI(parsed, `${where} ${key}`);
}

function startOf(span: JsonObject): bigint {
  try {
    return BigInt(String(span.startTimeUnixNano ?? 0));
  } catch {
    return 0n;
  }
}

function spansOf(record: JsonObject): Array<{ span: JsonObject; where: string }> {
  if (!Array.isArray(record.resourceSpans)) throw new FormatError('OTLP export must have a "resourceSpans" array');
  const spans: Array<{ span: JsonObject; where: string }> = [];
  record.resourceSpans.forEach((resourceSpan, r) => {
    const scopeSpans = isJsonObject(resourceSpan) ? resourceSpan.scopeSpans ?? [] : undefined;
    if (!Array.isArray(scopeSpans)) throw new FormatError(`resourceSpans[${r}]: "scopeSpans" must be an array, got ${jsonTypeOf(scopeSpans)}`);
    scopeSpans.forEach((scopeSpan, s) => {
      const list = isJsonObject(scopeSpan) ? scopeSpan.spans ?? [] : undefined;
      if (!Array.isArray(list)) throw new FormatError(`resourceSpans[${r}].scopeSpans[${s}]: "spans" must be an array, got ${jsonTypeOf(list)}`);
      list.forEach((span, i) => {
        if (isJsonObject(span)) spans.push({ span, where: `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]` });
      });
    });
  });
  return spans;
}

/** Length of the longest suffix of `history` that equals a prefix of `call`. */
function overlap(history: string[], call: string[]): number {
  for (let length = Math.min(history.length, call.length); length > 0; length--) {
    const start = history.length - length;
    let same = true;
    for (let i = 0; i < length && same; i++) same = history[start + i] === call[i];
    if (same) return length;
  }
  return 0;
}

/**
 * Each LLM call's input repeats the history so far: append to the history only what a call adds after the
 * longest overlap (a full prefix in the usual case; a partial one when a framework trims old turns; none when it
 * sends only new messages).
 */
function mergeCalls(calls: LlmCall[]): JsonObject[] {
  const merged: JsonObject[] = [];
  const keys: string[] = [];
  for (const call of calls) {
    const callKeys = call.messages.map((message) => JSON.stringify(message));
    const shared = overlap(keys, callKeys);
    merged.push(...call.messages.slice(shared));
    keys.push(...callKeys.slice(shared));
  }
  return merged;
}

/**
 * An OTLP/JSON trace export → one conversation per `gen_ai.conversation.id` (else per trace id), in order of first
 * appearance. Messages come from the `gen_ai.input.messages` / `gen_ai.output.messages` span attributes of the
 * GenAI semantic conventions; spans without them are ignored.
 */
export function otlpToConversations(record: unknown): Conversation[] {
  if (!isJsonObject(record)) throw new FormatError(`OTLP export must be an object, got ${jsonTypeOf(record)}`);
  const groups = new Map<string, LlmCall[]>();
  for (const { span, where } of spansOf(record)) {
    const messages = [...parseMessages(span, 'gen_ai.input.messages', where), ...parseMessages(span, 'gen_ai.output.messages', where)];
    if (messages.length === 0) continue;
    const traceId = String(span.traceId ?? '');
    const key = attributeValue(span, 'gen_ai.conversation.id') ?? traceId;
    const calls = groups.get(key) ?? [];
    calls.push({ traceId, spanId: String(span.spanId ?? ''), start: startOf(span), messages });
    groups.set(key, calls);
  }
  return [...groups].map(([id, calls]) => {
    calls.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const last = calls[calls.length - 1];
    return {
      id,
      messages: openAIToMessages(mergeCalls(calls)),
      meta: { trace_id: last.traceId, span_id: last.spanId, llm_calls: calls.length },
    };
  });
}
