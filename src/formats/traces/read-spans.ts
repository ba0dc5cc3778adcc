import type { CapturedSpan, SpanConvention } from '../captured-span.js';
import { FormatError } from '../format-error.js';
import { isJsonObject, jsonTypeOf, type JsonObject } from '../json-value.js';
import { attributeMap } from './any-value.js';
import { readGenAIEvents } from './genai-events.js';
import { readLangfuseOtel } from './langfuse-otel.js';
import { readOpenInference } from './openinference.js';
import { readOpenLLMetry } from './openllmetry.js';
import { readSemconv } from './semconv.js';
import type { ConventionReader, SpanRead, SpanView } from './span-view.js';
import { readVercelAI } from './vercel-ai.js';

/** A GenAI span whose messages could not be read: counted and reported, never silently dropped. */
export interface UnreadableSpan {
  name: string;
  traceId: string;
  spanId: string;
  /** Why: no message attributes (content capture off, an unknown convention) or the reader's error. */
  reason: string;
}

/** Options of {@link readSpans}. */
export interface ReadSpansOptions {
  /** Agent name given to every span, overriding what the spans say. */
  agent?: string;
}

/** The spans of one OTLP export and the GenAI spans among them whose messages could not be read. */
export interface ReadSpansResult {
  spans: CapturedSpan[];
  warnings: UnreadableSpan[];
}

/** Convention readers, most specific first: a span is read by the first that recognizes it. */
const READERS: ReadonlyArray<[SpanConvention, ConventionReader]> = [
  ['genai-semconv', readSemconv],
  ['openinference', readOpenInference],
  ['vercel-ai', readVercelAI],
  ['langfuse', readLangfuseOtel],
  ['openllmetry', readOpenLLMetry],
  ['genai-events', readGenAIEvents],
];

const GENAI_PREFIXES = ['gen_ai.', 'llm.', 'ai.', 'openinference.', 'langfuse.', 'traceloop.'];
const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);
const SESSION_KEYS = ['session.id', 'gen_ai.conversation.id', 'langfuse.session.id', 'traceloop.association.properties.session_id', 'ai.telemetry.metadata.sessionId'];
const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name', 'ai.model.id', 'langfuse.observation.model.name'];

function isGenAI(attributes: JsonObject): boolean {
  return Object.keys(attributes).some((key) => GENAI_PREFIXES.some((prefix) => key.startsWith(prefix)));
}

/** True for a span that is one model call, so it should carry messages when content capture is on. */
export function isLlmCall(span: SpanView): boolean {
  const a = span.attributes;
  const operation = a['gen_ai.operation.name'];
  if (typeof operation === 'string') return LLM_OPERATIONS.has(operation);
  if (a['openinference.span.kind'] !== undefined) return a['openinference.span.kind'] === 'LLM';
  if (a['langfuse.observation.type'] !== undefined) return a['langfuse.observation.type'] === 'generation';
  if (/^ai\.[A-Za-z]+\.do(Generate|Stream)$/.test(span.name)) return true;
  if (span.events.some((event) => event.name.startsWith('gen_ai.'))) return true;
  return a['llm.request.type'] !== undefined || a['gen_ai.request.model'] !== undefined || a['gen_ai.system'] !== undefined;
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The service an OTLP resource names (its attributes read with `attributeMap`): `service.name`, else `"unknown"`. A
 * span's fallback agent, and the only service whose GenAI log records join it.
 */
export function serviceNameOf(resource: JsonObject): string {
  return text(resource['service.name']) ?? 'unknown';
}

function firstOf(attributes: JsonObject, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = text(attributes[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function viewOf(span: JsonObject, resource: JsonObject): SpanView {
  const events = Array.isArray(span.events)
    ? span.events.filter(isJsonObject).map((event) => ({ name: String(event.name ?? ''), attributes: attributeMap(event.attributes, {}) }))
    : [];
  const status = isJsonObject(span.status) ? { code: span.status.code, message: span.status.message } : undefined;
  return { name: String(span.name ?? ''), attributes: attributeMap(span.attributes, {}), events, resource, status };
}

/**
 * The error a failed span raised, as text: its `exception` event (`exception.type: exception.message`), else its
 * ERROR status message, else undefined when the span did not fail.
 */
export function spanError(view: SpanView): string | undefined {
  const exception = view.events.find((event) => event.name === 'exception');
  if (exception !== undefined) {
    const message = withoutStack(text(exception.attributes['exception.message']));
    const type = text(exception.attributes['exception.type']);
    if (message !== undefined) return type === undefined || message.startsWith(type) ? message : `${type}: ${message}`;
    if (type !== undefined) return type;
  }
  const code = view.status?.code;
  if (code === 2 || code === '2' || code === 'STATUS_CODE_ERROR' || code === 'ERROR') return withoutStack(text(view.status?.message)) ?? 'error';
  return undefined;
}

/** An error message without the stack trace some frameworks append (LangChain): up to a blank line or an `at` frame. */
function withoutStack(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const cut = message.search(/\n\s*\n|\n\s+at /);
  const head = (cut === -1 ? message : message.slice(0, cut)).trim();
  return head === '' ? undefined : head;
}

/** A tool run whose result is empty but whose span failed: the error becomes the result (what the tool answered). */
function withToolError(read: SpanRead, view: SpanView): SpanRead {
  if (read.kind !== 'tool') return read;
  const error = spanError(view);
  if (error === undefined) return read;
  const messages = read.messages.map((message) =>
    message.role === 'tool' && (message.content === '' || message.content === undefined || message.content === null) ? { ...message, content: error } : message,
  );
  return { ...read, messages };
}

function readMessages(view: SpanView): { convention: SpanConvention; read: SpanRead } | { error: string } | undefined {
  for (const [convention, reader] of READERS) {
    try {
      const read = reader(view);
      if (read !== undefined) return { convention, read: withToolError(read, view) };
    } catch (error) {
      if (error instanceof FormatError) return { error: `${convention}: ${error.message}` };
      throw error;
    }
  }
  return undefined;
}

interface Located {
  span: JsonObject;
  resource: JsonObject;
}

function spansOf(record: JsonObject): Located[] {
  if (!Array.isArray(record.resourceSpans)) throw new FormatError('OTLP export must have a "resourceSpans" array');
  const spans: Located[] = [];
  record.resourceSpans.forEach((resourceSpan, r) => {
    const scopeSpans = isJsonObject(resourceSpan) ? resourceSpan.scopeSpans ?? [] : undefined;
    if (!Array.isArray(scopeSpans)) throw new FormatError(`resourceSpans[${r}]: "scopeSpans" must be an array, got ${jsonTypeOf(scopeSpans)}`);
    const resource = isJsonObject(resourceSpan) && isJsonObject(resourceSpan.resource) ? attributeMap(resourceSpan.resource.attributes, {}) : {};
    scopeSpans.forEach((scopeSpan, s) => {
      const list = isJsonObject(scopeSpan) ? scopeSpan.spans ?? [] : undefined;
      if (!Array.isArray(list)) throw new FormatError(`resourceSpans[${r}].scopeSpans[${s}]: "spans" must be an array, got ${jsonTypeOf(list)}`);
      for (const span of list) if (isJsonObject(span)) spans.push({ span, resource });
    });
  });
  return spans;
}

/**
 * The agent a span names itself: `gen_ai.agent.id` / `gen_ai.agent.name`, else an OpenInference AGENT span's
 * `agent.name` or span name, else the name of a Langfuse agent observation.
 */
function agentNamed(view: SpanView): string | undefined {
  const a = view.attributes;
  const named = firstOf(a, ['gen_ai.agent.id', 'gen_ai.agent.name']);
  if (named !== undefined) return named;
  if (a['openinference.span.kind'] === 'AGENT') return firstOf(a, ['agent.name']) ?? text(view.name);
  if (a['langfuse.observation.type'] === 'agent') return text(view.name);
  return undefined;
}

/** The agent named on a span itself, or on its nearest ancestor in the export (agent spans wrap the LLM calls they make). */
function agentResolver(located: Array<{ key: string; parentKey: string; own: string | undefined }>): (key: string) => string | undefined {
  const byKey = new Map(located.map((entry) => [entry.key, entry]));
  const memo = new Map<string, string | undefined>();
  const resolve = (key: string): string | undefined => {
    // Walk up iteratively, then fill the memo on the way back, so a deep chain costs one pass.
    const chain: string[] = [];
    let current: string | undefined = key;
    let found: string | undefined;
    const seen = new Set<string>();
    while (current !== undefined && !seen.has(current)) {
      if (memo.has(current)) {
        found = memo.get(current);
        break;
      }
      seen.add(current);
      chain.push(current);
      const entry = byKey.get(current);
      if (entry === undefined) break;
      if (entry.own !== undefined) {
        found = entry.own;
        break;
      }
      current = entry.parentKey === '' ? undefined : entry.parentKey;
    }
    for (const link of chain) memo.set(link, found);
    return found;
  };
  return resolve;
}

/**
 * An OTLP/JSON trace export (`resourceSpans[].scopeSpans[].spans[]`) → its GenAI spans as {@link CapturedSpan}s, in
 * document order, messages read with whichever convention each span uses, and the LLM-call spans whose messages
 * could not be read. Spans without GenAI attributes (HTTP, database…) are left out. Throws FormatError on a
 * malformed export.
 */
export function readSpans(record: unknown, options: ReadSpansOptions = {}): ReadSpansResult {
  if (!isJsonObject(record)) throw new FormatError(`OTLP export must be an object, got ${jsonTypeOf(record)}`);
  const located = spansOf(record);
  const entries = located.map(({ span, resource }) => {
    const view = viewOf(span, resource);
    const traceId = String(span.traceId ?? '');
    const spanId = String(span.spanId ?? '');
    const parentSpanId = String(span.parentSpanId ?? '');
    const own = agentNamed(view);
    return { span, view, traceId, spanId, parentSpanId, key: `${traceId}/${spanId}`, parentKey: parentSpanId === '' ? '' : `${traceId}/${parentSpanId}`, own };
  });
  const agentOf = agentResolver(entries);
  const spans: CapturedSpan[] = [];
  const warnings: UnreadableSpan[] = [];
  for (const entry of entries) {
    const { view } = entry;
    if (!isGenAI(view.attributes) && !view.events.some((event) => event.name.startsWith('gen_ai.'))) continue;
    const found = readMessages(view);
    const read = found !== undefined && 'read' in found ? found : undefined;
    const messages = read?.read.messages ?? [];
    const unreadable = messages.length === 0 && (found !== undefined || isLlmCall(view));
    const named = options.agent ?? agentOf(entry.key);
    const service = serviceNameOf(view.resource);
    const agent = named ?? service;
    const fallback = named === undefined;
    if (unreadable) {
      const reason = found !== undefined && 'error' in found ? found.error : 'no readable message attributes';
      warnings.push({ name: view.name, traceId: entry.traceId, spanId: entry.spanId, reason });
    }
    spans.push({
      traceId: entry.traceId,
      spanId: entry.spanId,
      parentSpanId: entry.parentSpanId,
      name: view.name,
      agent,
      ...(fallback ? { agentFallback: true } : {}),
      service,
      sessionId: firstOf(view.attributes, SESSION_KEYS) ?? null,
      convention: read?.convention ?? 'none',
      kind: messages.length === 0 ? 'other' : read?.read.kind ?? 'other',
      startTimeUnixNano: String(entry.span.startTimeUnixNano ?? '0'),
      endTimeUnixNano: String(entry.span.endTimeUnixNano ?? entry.span.startTimeUnixNano ?? '0'),
      model: firstOf(view.attributes, MODEL_KEYS) ?? null,
      messages,
      unreadable,
    });
  }
  return { spans, warnings };
}
