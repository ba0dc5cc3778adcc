/**
 * `--otlp-out`: reports → an OTLP/JSON file, one span per conversation, encoded by OpenTelemetry's own
 * `JsonTraceSerializer` over real SDK spans.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ROOT_CONTEXT, trace, TraceFlags, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SignalReport } from '../core/types.js';
import { annotateSpan } from './annotate.js';
import { fixOtlpJsonTypes, type ExportTraceServiceRequest } from './otlp-types.js';

/** Writes analyzed conversations as OTLP/JSON; see {@link createOtlpFileWriter}. */
export interface OtlpFileWriter {
  /**
   * Adds one conversation: a span `signals.analyze <id>` with `gen_ai.conversation.id` and the report's
   * attributes and events. Scalar fields of `meta` (the input record's `meta`, e.g. `success`, `reward`) become
   * `agent_signals.meta.<key>` attributes; nested values and nulls are left out.
   */
  write(id: unknown, report: SignalReport, meta?: Readonly<Record<string, unknown>>): void;
  /** Writes the last chunk and closes the file. */
  close(): Promise<void>;
}

/** Options of {@link createOtlpFileWriter}. */
export interface OtlpFileWriterOptions {
  /** Spans per `ExportTraceServiceRequest` line (default 256); bounds the memory held between writes. */
  chunkSize?: number;
  /** Add the `gen_ai.evaluation.result` events (default `true`). */
  evaluationEvents?: boolean;
}

/** Keeps ended spans in memory until the writer serializes them; synchronous, unlike the SDK processors. */
class SpanCollector implements SpanProcessor {
  spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function idText(id: unknown): string {
  return typeof id === 'string' ? id : JSON.stringify(id ?? null);
}

function metaAttributes(meta: Readonly<Record<string, unknown>> | undefined): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      attributes[`agent_signals.meta.${key}`] = value;
    }
  }
  return attributes;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function spanId(value: unknown): string | undefined {
  return typeof value === 'string' && SPAN_ID.test(value) && !/^0+$/.test(value) ? value : undefined;
}

/** Where a conversation read from OTLP spans sits: its trace, the span to hang under, the spans to link to. */
interface SourceTrace {
  traceId: string;
  parentSpanId: string;
  /** The last LLM call, and the first span of each other trace of the conversation (a session of several turns). */
  links: Array<{ traceId: string; spanId: string }>;
}

/**
 * The source trace of a conversation read from OTLP spans, or undefined for other inputs and ids that are not W3C
 * trace context. The trace is `meta.trace_id` (the last LLM call's); the parent is the conversation's first span in
 * that trace (`meta.root_span_ids` at the index of `trace_id` in `meta.trace_ids`), never a span of another trace,
 * else the last LLM span (`meta.span_id`). Links: the last LLM span, and the first span of every other trace.
 */
function sourceTrace(meta: Readonly<Record<string, unknown>> | undefined): SourceTrace | undefined {
  const traceId = meta?.trace_id;
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId) || /^0+$/.test(traceId)) return undefined;
  const traceIds = Array.isArray(meta?.trace_ids) ? meta.trace_ids : [];
  const roots = Array.isArray(meta?.root_span_ids) ? meta.root_span_ids : [];
  const lastSpanId = spanId(meta?.span_id);
  const parentSpanId = spanId(roots[traceIds.indexOf(traceId)]) ?? lastSpanId;
  if (parentSpanId === undefined) return undefined;
  const links: SourceTrace['links'] = lastSpanId !== undefined && lastSpanId !== parentSpanId ? [{ traceId, spanId: lastSpanId }] : [];
  traceIds.forEach((other, i) => {
    const root = spanId(roots[i]);
    if (other !== traceId && typeof other === 'string' && TRACE_ID.test(other) && root !== undefined) links.push({ traceId: other, spanId: root });
  });
  return { traceId, parentSpanId, links };
}

/** The context and links that put the analysis span inside the source trace: under its first span there, linked to the rest. */
function placement(source: SourceTrace | undefined): { context: Context; links: Link[] } {
  if (source === undefined) return { context: ROOT_CONTEXT, links: [] };
  const remote = (traceId: string, id: string) => ({ traceId, spanId: id, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  const links = source.links.map((l) => ({ context: remote(l.traceId, l.spanId) }));
  return { context: trace.setSpanContext(ROOT_CONTEXT, remote(source.traceId, source.parentSpanId)), links };
}

/**
 * Opens `path` (truncating it) for OTLP/JSON in the JSON Lines layout of the OpenTelemetry Collector's `file`
 * exporter, which its `otlpjsonfile` receiver reads back: one `ExportTraceServiceRequest` per line, each holding
 * up to `chunkSize` spans, one trace per conversation; a conversation read from OTLP spans keeps its source
 * trace instead (the last LLM call's trace id, parent = the conversation's first span in that trace, links to its
 * last LLM span and to the first span of each other trace of a multi-turn session), so a backend shows the analysis
 * inside the original trace. Ids are hex, timestamps nanosecond strings, ints
 * `intValue` strings and the spec's doubles `doubleValue` numbers, also when integral (`signals.quality_score`).
 */
export function createOtlpFileWriter(path: string, options: OtlpFileWriterOptions = {}): OtlpFileWriter {
  const chunkSize = options.chunkSize ?? 256;
  const collector = new SpanCollector();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'agent-signals' }),
    // The SDK honours OTEL_TRACES_SAMPLER and OTEL_*_LIMIT variables meant for apps, and keeps 128 events and
    // attributes per span by default (dropping the oldest events); the file must hold every conversation in full.
    sampler: new AlwaysOnSampler(),
    spanLimits: { eventCountLimit: Infinity, attributeCountLimit: Infinity, attributeValueLengthLimit: Infinity },
    spanProcessors: [collector],
  });
  const tracer = provider.getTracer('agent-signals');
  const fd = openSync(path, 'w');
  let closed = false;

  const flush = (): void => {
    if (collector.spans.length === 0) return;
    const bytes = JsonTraceSerializer.serializeRequest(collector.spans);
    collector.spans = [];
    if (bytes === undefined) throw new Error('OTLP/JSON serialization failed');
    const request = JSON.parse(new TextDecoder().decode(bytes)) as ExportTraceServiceRequest;
    writeSync(fd, JSON.stringify(fixOtlpJsonTypes(request)) + '\n');
  };

  return {
    write(id, report, meta) {
      if (closed) throw new Error('OTLP file writer is closed');
      const text = idText(id);
      const attributes = { 'gen_ai.conversation.id': text, ...metaAttributes(meta) };
      const source = sourceTrace(meta);
      const { context, links } = placement(source);
      const span = tracer.startSpan(`signals.analyze ${text}`, { attributes, links }, context);
      annotateSpan(span, report, { evaluationEvents: options.evaluationEvents });
      span.end();
      if (collector.spans.length >= chunkSize) flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        closeSync(fd);
        await provider.shutdown();
      }
    },
  };
}
