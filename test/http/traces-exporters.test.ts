/**
 * The official OpenTelemetry JS exporters (OTLP/HTTP JSON and protobuf, plain and gzip) against the Node server:
 * the export succeeds, and the export forwarded to a local upstream equals the original plus the signals.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { decodeExportTraceRequest } from '../../src/otlp/proto-decode.js';
import { memoryTracer } from '../helpers/memory-tracer.js';
import { E19_GENAI_MESSAGES, E19_SPAN_ATTRIBUTES } from './fixtures.js';
import { startUpstream, type Upstream } from './traces-upstream.js';

/** An agent's trace as the SDK records it: an HTTP root span, an LLM span with the E19 messages, a tool span. */
async function agentSpans(): Promise<ReadableSpan[]> {
  const t = memoryTracer();
  const root = t.tracer.startSpan('POST /chat', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 } });
  const inRoot = trace.setSpan(context.active(), root);
  const llm = t.tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': JSON.stringify(E19_GENAI_MESSAGES),
        'gen_ai.usage.input_tokens': 321,
      },
    },
    inRoot,
  );
  llm.addEvent('gen_ai.first_token');
  llm.end();
  const tool = t.tracer.startSpan('execute_tool get_weather', { attributes: { 'gen_ai.tool.name': 'get_weather', retry: false } }, inRoot);
  tool.setStatus({ code: SpanStatusCode.ERROR, message: '503' });
  tool.end();
  root.end();
  const spans = await t.finishedSpans();
  await t.shutdown();
  return spans;
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

interface Span {
  name: string;
  parentSpanId?: string;
  attributes?: Array<{ key: string; value: unknown }>;
  events?: Array<{ name: string }>;
}

function spansIn(request: unknown): Span[] {
  return (request as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

/**
 * The official JSON serializer's export of `spans` in canonical proto3 JSON (int64 `intValue` as strings), and,
 * for protobuf, without the empty lists the wire cannot carry: what an OTLP backend holds for this export.
 */
function originalExport(spans: ReadableSpan[], dropEmptyLists: boolean): unknown {
  const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (dropEmptyLists && Array.isArray(field) && field.length === 0) continue;
      out[key] = key === 'intValue' ? String(field) : canonical(field);
    }
    return out;
  };
  return canonical(json);
}

/** The forwarded export with what the service added to the root span taken off again, plus what was taken. */
function withoutSignals(forwarded: unknown, original: unknown): { stripped: unknown; added: Span } {
  const copy = structuredClone(forwarded);
  const root = spansIn(copy).find((s) => s.parentSpanId === undefined || s.parentSpanId === '')!;
  const originalRoot = spansIn(original).find((s) => s.name === root.name)!;
  const added = { name: root.name, attributes: root.attributes?.splice(originalRoot.attributes?.length ?? 0), events: root.events?.splice(originalRoot.events?.length ?? 0) };
  if (root.events?.length === 0 && originalRoot.events === undefined) delete root.events;
  return { stripped: copy, added };
}

const ENCODINGS = [
  { name: 'OTLP/HTTP JSON', make: (url: string, gzip: boolean) => new JsonExporter({ url, compression: gzip ? ('gzip' as never) : ('none' as never), headers: { authorization: 'Bearer t' } }), contentType: 'application/json' },
  { name: 'OTLP/HTTP protobuf', make: (url: string, gzip: boolean) => new ProtoExporter({ url, compression: gzip ? ('gzip' as never) : ('none' as never), headers: { authorization: 'Bearer t' } }), contentType: 'application/x-protobuf' },
];

describe('official OpenTelemetry JS exporters against POST /v1/traces', () => {
  let upstream: Upstream;
  let forwarding: NodeServer;
  let receiving: NodeServer;
  beforeAll(async () => {
    upstream = await startUpstream();
    const env = { SIGNALS_API_TOKEN: 't', SIGNALS_FORWARD_HEADERS: 'api-key=s3cr%3Dt,x-tenant=acme' };
    forwarding = await startNodeServer(configFromEnv({ ...env, SIGNALS_FORWARD_URL: upstream.url }), 0, '127.0.0.1');
    receiving = await startNodeServer(configFromEnv({ SIGNALS_API_TOKEN: 't' }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await Promise.all([forwarding.close(), receiving.close(), upstream.close()]);
  });

  for (const encoding of ENCODINGS) {
    for (const gzip of [false, true]) {
      it(`${encoding.name}${gzip ? ' (gzip)' : ''}: succeeds as a plain receiver`, async () => {
        const exporter = encoding.make(`${receiving.url}/v1/traces`, gzip);
        expect(await exportWith(exporter, await agentSpans())).toEqual({ code: ExportResultCode.SUCCESS });
        await exporter.shutdown();
      });

      it(`${encoding.name}${gzip ? ' (gzip)' : ''}: the forwarded export is the original plus the E19 signals on the root span`, async () => {
        const spans = await agentSpans();
        upstream.mode = { kind: 'answer', status: 200, contentType: encoding.contentType, body: encoding.contentType === 'application/json' ? '{}' : new Uint8Array() };
        const before = upstream.received.length;
        const exporter = encoding.make(`${forwarding.url}/v1/traces`, gzip);
        expect(await exportWith(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
        await exporter.shutdown();
        expect(upstream.received.length).toBe(before + 1);
        const sent = upstream.received.at(-1)!;
        expect(sent.url).toBe('/v1/traces');
        expect(sent.headers['content-type']).toBe(encoding.contentType);
        expect(sent.headers['api-key']).toBe('s3cr=t');
        expect(sent.headers['x-tenant']).toBe('acme');
        expect(sent.headers['x-signals-forwarded']).toBe('1');
        // The service's own bearer token is not passed on to the backend.
        expect(sent.headers.authorization).toBeUndefined();
        const forwarded = encoding.contentType === 'application/json' ? JSON.parse(sent.body.toString('utf8')) : decodeExportTraceRequest(new Uint8Array(sent.body));
        const original = originalExport(spans, encoding.contentType !== 'application/json');
        const { stripped, added } = withoutSignals(forwarded, original);
        expect(stripped).toEqual(original);
        expect(added.name).toBe('POST /chat');
        expect(added.attributes).toEqual(E19_SPAN_ATTRIBUTES);
        expect((added.events ?? []).map((e) => e.name).filter((n) => n.startsWith('signal.'))).toEqual(['signal.environment.exhaustion.api_error']);
      });
    }
  }
});
