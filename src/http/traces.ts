import type { Conversation, UnreadableSpan } from '../formats/index.js';
import {
  evaluationEvents,
  flaggedName,
  signalSpanAttributes,
  signalSpanEvents,
  type SignalAttribute,
} from '../otel/attributes.js';
import type { OtlpKeyValue, OtlpSpan } from '../otel/otlp-types.js';
import { analyzeCapped, recordConversations } from './analyze.js';
import { ApiError } from './errors.js';
import { FormatError } from '../formats/format-error.js';
import { readSpans, type ReadSpansResult } from '../formats/traces/read-spans.js';

/** Encodes one typed attribute as OTLP/JSON (`intValue` as a decimal string, as proto3 JSON writes int64). */
export function toOtlpKeyValue({ key, value, type }: SignalAttribute): OtlpKeyValue {
  switch (type) {
    case 'string':
      return { key, value: { stringValue: String(value) } };
    case 'int':
      return { key, value: { intValue: String(value) } };
    case 'double':
      return { key, value: { doubleValue: Number(value) } };
    case 'bool':
      return { key, value: { boolValue: Boolean(value) } };
  }
}

/**
 * Every span of an export, in document order. Runs on a validated export (src/otlp/validate.ts), so every
 * level is well-formed and every span has a unique trace and span id.
 */
function allSpans(exportRequest: Record<string, unknown>): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of (exportRequest.resourceSpans ?? []) as Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) if (typeof span === 'object' && span !== null) spans.push(span as OtlpSpan);
    }
  }
  return spans;
}

/** Ids compared as the OTLP reader reports them: missing ids are "". */
function idOf(id: unknown): string {
  return String(id ?? '');
}

function isRoot(span: OtlpSpan): boolean {
  return span.parentSpanId === undefined || span.parentSpanId === null || span.parentSpanId === '';
}

/**
 * The span that carries a conversation's signals: the root span of its trace when that root is in this
 * export and no other conversation shares the trace (so one trace-level query finds the quality), else the
 * conversation's last LLM span, where the reference gateway writes them (spec §14.1).
 */
function targetSpan(conversation: Conversation, spans: readonly OtlpSpan[], conversationsPerTrace: Map<string, number>): OtlpSpan | undefined {
  const traceId = idOf(conversation.meta?.trace_id);
  const spanId = idOf(conversation.meta?.span_id);
  if (conversationsPerTrace.get(traceId) === 1) {
    const root = spans.find((span) => idOf(span.traceId) === traceId && isRoot(span));
    if (root !== undefined) return root;
  }
  return spans.find((span) => idOf(span.traceId) === traceId && idOf(span.spanId) === spanId);
}

function alreadyEnriched(span: OtlpSpan): boolean {
  return (span.attributes ?? []).some((attribute) => attribute.key === 'signals.quality');
}

/** The time stamped on the added events: the span's end, when the analyzed LLM response was complete. */
function eventTime(span: OtlpSpan): string {
  return String(span.endTimeUnixNano ?? span.startTimeUnixNano ?? '0');
}

/**
 * The GenAI spans of an export as the store keeps them, and those whose messages could not be read (as
 * {@link enrichExport} reports them), in one read. A malformed export is a 400.
 */
export function readExport(exportRequest: unknown): ReadSpansResult {
  try {
    return readSpans(exportRequest);
  } catch (err) {
    if (err instanceof FormatError) throw new ApiError(400, 'invalid_conversation', `otlp: ${err.message}`);
    throw err;
  }
}

/**
 * Enriches an OTLP/JSON `ExportTraceServiceRequest` in place and returns it: for each conversation found in
 * the GenAI message attributes of its spans, appends the spec §14.2 attributes, the §14.3 `signal.*` events
 * and the `gen_ai.evaluation.result` events to the target span, and adds the §14.4 flag to its name. Nothing
 * is removed or reordered. Spans already carrying `signals.quality` are left alone, so chaining two hops
 * does not double the data. Returns the GenAI spans whose messages could not be read (to be reported, not
 * dropped in silence). Throws `ApiError` for a non-OTLP body or a conversation above the row cap.
 */
export function enrichExport(exportRequest: unknown, maxMessages: number): UnreadableSpan[] {
  const { conversations, warnings } = recordConversations(exportRequest, 'otlp');
  const spans = allSpans(exportRequest as Record<string, unknown>);
  const conversationsPerTrace = new Map<string, number>();
  for (const conversation of conversations) {
    const traceId = idOf(conversation.meta?.trace_id);
    conversationsPerTrace.set(traceId, (conversationsPerTrace.get(traceId) ?? 0) + 1);
  }
  for (const conversation of conversations) {
    const span = targetSpan(conversation, spans, conversationsPerTrace);
    // The reader takes trace and span ids from this very export, so a miss is a bug, not bad input.
    if (span === undefined) throw new Error(`No span ${String(conversation.meta?.span_id)} for conversation ${String(conversation.id)}`);
    if (alreadyEnriched(span)) continue;
    const report = analyzeCapped(conversation, maxMessages);
    const time = eventTime(span);
    span.attributes = [...(span.attributes ?? []), ...signalSpanAttributes(report).map(toOtlpKeyValue)];
    const events = [...signalSpanEvents(report), ...evaluationEvents(report)].map((event) => ({
      timeUnixNano: time,
      name: event.name,
      attributes: event.attributes.map(toOtlpKeyValue),
    }));
    span.events = [...(span.events ?? []), ...events];
    span.name = flaggedName(span.name ?? '', report);
  }
  return warnings;
}
