/**
 * `POST /v1/logs` with the official OpenTelemetry JS log exporters (OTLP/HTTP JSON and protobuf, plain and gzip)
 * against the Node server over a real store: GenAI events sent as log records (the contrib OpenAI
 * instrumentation's shapes: `event.name` attribute, body kvlist) join their span whichever arrives first; a
 * conversation whose content arrives after it settled is labelled again with it, and never labelled while empty;
 * malformed exports are 400s, a full store a 503 + Retry-After, in the request's encoding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { startNodeService, type NodeService } from '../../src/service/node-runner.js';
import { memoryTracer } from '../helpers/memory-tracer.js';
import { rpcStatus } from '../helpers/rpc-status.js';

const AGENT = 'logs-agent';
const QUESTION = 'I want a refund for order 12, it arrived broken.';
const ANSWER = 'I am sorry to hear that. I have started the refund for order 12.';

let dir: string;
let node: NodeService;
let server: NodeServer;
const clock = { now: Date.parse('2026-12-01T10:00:00Z') };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-logs-'));
  node = await startNodeService({ SIGNALS_DB: join(dir, 'signals.db') }, { intervalMs: 3_600_000, retentionIntervalMs: 3_600_000, now: () => clock.now });
  server = await startNodeServer({ ...configFromEnv({}), signals: node.service }, 0, '127.0.0.1');
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * One user turn as the contrib OpenAI instrumentation records it inside an app's invoke_agent span: the chat span has
 * no content; the system and user messages and the choice are log records emitted in the chat span's context (plus
 * one application log line, which is not a GenAI event).
 */
async function turn(session: string): Promise<{ spans: ReadableSpan[]; logs: ReadableLogRecord[] }> {
  const t = memoryTracer();
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('@opentelemetry/instrumentation-openai', '0.21.0');
  const root = t.tracer.startSpan(`invoke_agent ${AGENT}`, {
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': AGENT, 'gen_ai.conversation.id': session },
  });
  const llm: Span = t.tracer.startSpan(
    'chat gpt-4o-mini',
    { kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.system': 'openai' } },
    trace.setSpan(context.active(), root),
  );
  const inLlm = trace.setSpan(context.active(), llm);
  const event = (name: string, body: Record<string, unknown>) =>
    logger.emit({ context: inLlm, severityNumber: 9, attributes: { 'event.name': name, 'gen_ai.system': 'openai' }, body: body as never });
  event('gen_ai.system.message', { content: 'You are a helpful shop assistant.' });
  event('gen_ai.user.message', { content: QUESTION });
  logger.emit({ context: inLlm, body: 'upstream answered 200 in 120 ms' });
  event('gen_ai.choice', { finish_reason: 'stop', index: 0, message: { content: ANSWER } });
  llm.end();
  root.end();
  const spans = await t.finishedSpans();
  await t.shutdown();
  await provider.forceFlush();
  const logs = memory.getFinishedLogRecords();
  await provider.shutdown();
  return { spans, logs };
}

/** 200 user-message records of 2 KB each in the context of `span`: more than a store at its page cap can take. */
async function largeRecords(span: ReadableSpan): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('@opentelemetry/instrumentation-openai');
  const inSpan = trace.setSpanContext(context.active(), span.spanContext());
  for (let i = 0; i < 200; i++) logger.emit({ context: inSpan, attributes: { 'event.name': 'gen_ai.user.message' }, body: { content: `message ${i} ${'x'.repeat(2000)}` } });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

function send<T>(exporter: { export(items: T[], done: (r: ExportResult) => void): void }, items: T[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

const logExporter = (encoding: 'json' | 'protobuf', gzip: boolean): LogRecordExporter => {
  const options = { url: `${server.url}/v1/logs`, ...(gzip ? { compression: 'gzip' as never } : {}) };
  return encoding === 'json' ? new JsonLogExporter(options) : new ProtoLogExporter(options);
};
const traceExporter = (encoding: 'json' | 'protobuf'): SpanExporter =>
  encoding === 'json' ? new JsonTraceExporter({ url: `${server.url}/v1/traces` }) : new ProtoTraceExporter({ url: `${server.url}/v1/traces` });

async function sessionTarget(id: string): Promise<{ messages: Array<{ from: string; value: string }> }> {
  const res = await fetch(`${server.url}/v1/targets/session/${id}?agent=${AGENT}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as never;
}

const rows = (target: { messages: Array<{ from: string; value: string }> }) => target.messages.map((m) => [m.from, m.value]);

describe('POST /v1/logs with the official exporters', () => {
  for (const [encoding, gzip] of [['json', true], ['protobuf', false], ['json', false], ['protobuf', true]] as const) {
    it(`${encoding}${gzip ? ' gzip' : ''}: log records sent before their spans join them`, async () => {
      const session = `before-${encoding}-${gzip}`;
      const { spans, logs } = await turn(session);
      expect((await send(logExporter(encoding, gzip), logs)).code).toBe(ExportResultCode.SUCCESS);
      expect((await send(traceExporter(encoding), spans)).code).toBe(ExportResultCode.SUCCESS);
      expect(rows(await sessionTarget(session))).toEqual([
        ['human', QUESTION],
        ['gpt', ANSWER],
      ]);
    });
  }

  it('content that arrives after its session settled: unreadable (never labelled) until then, labelled again with it', async () => {
    const signal = { name: 'logs-refund', agent: AGENT, scope: 'session', type: 'binary', prompt: 'Does the user ask for a refund?', judge: 'rules', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' } };
    await node.service.api.createSignal({ definition: signal as never, state: 'active' });
    const session = 'late-content';
    const { spans, logs } = await turn(session);
    expect((await send(traceExporter('protobuf'), spans)).code).toBe(ExportResultCode.SUCCESS);
    clock.now += 24 * 3_600_000;
    const first = await node.service.tick(clock.now);
    expect(first.unreadable).toBeGreaterThan(0);
    expect((await node.service.api.labels('logs-refund')).items.filter((l) => l.targetId === session)).toEqual([]);
    expect(rows(await sessionTarget(session))).toEqual([]);

    expect((await send(logExporter('protobuf', true), logs)).code).toBe(ExportResultCode.SUCCESS);
    expect(rows(await sessionTarget(session))).toEqual([
      ['human', QUESTION],
      ['gpt', ANSWER],
    ]);
    clock.now += 24 * 3_600_000;
    await node.service.tick(clock.now);
    const labels = (await node.service.api.labels('logs-refund')).items.filter((l) => l.targetId === session);
    expect(labels.map((l) => l.value)).toEqual(['yes']);
    // Sent again (an exporter retry), the records are stored once: no new revision, no second label.
    expect((await send(logExporter('json', false), logs)).code).toBe(ExportResultCode.SUCCESS);
    clock.now += 24 * 3_600_000;
    await node.service.tick(clock.now);
    expect((await node.service.api.labels('logs-refund')).items.filter((l) => l.targetId === session)).toHaveLength(1);
  });

  it('answers malformed exports with 400 (JSON error or google.rpc.Status), rejects bad records alone, warns on GenAI events without a span', async () => {
    const post = (body: string | Uint8Array, type: string) => fetch(`${server.url}/v1/logs`, { method: 'POST', headers: { 'content-type': type }, body });
    const bad = await post('{"resourceLogs": 3}', 'application/json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_otlp', message: expect.stringMatching(/^Malformed OTLP logs export at resourceLogs: expected an array/) } });

    const garbage = await post(new Uint8Array([0x0a, 0x05, 0x12, 0x03, 0xff]), 'application/x-protobuf');
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get('content-type')).toBe('application/x-protobuf');
    expect(rpcStatus(new Uint8Array(await garbage.arrayBuffer()))).toEqual({ code: 3, message: expect.stringMatching(/^Malformed OTLP\/protobuf at /) });

    const record = (extra: Record<string, unknown>) => ({ attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }], body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'hello' } }] } }, ...extra });
    const mixed = {
      resourceLogs: [{ scopeLogs: [{ logRecords: [record({ traceId: 'xyz', spanId: '00f067aa0ba902b7' }), record({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' }), record({})] }] }],
    };
    const partial = await post(JSON.stringify(mixed), 'application/json');
    expect(partial.status).toBe(200);
    expect(partial.headers.get('x-signals-rejected-log-records')).toBe('1');
    expect(await partial.json()).toEqual({ partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringMatching(/logRecords\[0\]\.traceId: expected a 32-digit hex id/) } });

    const unjoinable = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record({})] }] }] }), 'application/json');
    expect(unjoinable.status).toBe(200);
    expect(unjoinable.headers.get('signals-unjoinable-genai-events')).toBe('1');
    expect(await unjoinable.json()).toEqual({ partialSuccess: { rejectedLogRecords: 0, errorMessage: '1 GenAI event(s) without a trace and span id: not joined to any span' } });

    const none = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'nope' }] }] }] }), 'application/json');
    expect(none.status).toBe(400);
  });

  it('a full store answers 503 + Retry-After (JSON error; protobuf google.rpc.Status) and takes the records once space returns', async () => {
    const { spans, logs } = await turn('full-store');
    expect((await send(traceExporter('json'), spans)).code).toBe(ExportResultCode.SUCCESS);
    const [{ pages }] = await node.store.db.all<{ pages: number }>(sql`select page_count as pages from pragma_page_count()`);
    await node.store.db.run(sql.raw(`PRAGMA max_page_count = ${pages}`));
    try {
      // The records of the spans' own service: only those join them.
      const service = { key: 'service.name', value: { stringValue: String(spans[0].resource.attributes['service.name']) } };
      const body = { resourceLogs: [{ resource: { attributes: [service] }, scopeLogs: [{ logRecords: Array.from({ length: 200 }, (_, i) => ({ traceId: spans[0].spanContext().traceId, spanId: spans[0].spanContext().spanId, attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }], body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: `message ${i} ${'x'.repeat(2000)}` } }] } } })) }] }] };
      const json = await fetch(`${server.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(json.status).toBe(503);
      expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await json.json()).toEqual({ error: { code: 'store_unavailable', message: expect.stringMatching(/full/) } });
      // The exporter retries a 503 until its timeout: the raw answer to the bytes it sends (the same large records).
      const big = await largeRecords(spans[0]);
      const proto = await fetch(`${server.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: ProtobufLogsSerializer.serializeRequest(big)! });
      expect(proto.status).toBe(503);
      expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
      expect(Number(proto.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(rpcStatus(new Uint8Array(await proto.arrayBuffer()))).toEqual({ code: 14, message: expect.stringMatching(/full/) });
      const exporter = logExporter('protobuf', false);
      await node.store.db.run(sql.raw('PRAGMA max_page_count = 1073741823'));
      expect((await send(exporter, logs)).code).toBe(ExportResultCode.SUCCESS);
    } finally {
      await node.store.db.run(sql.raw('PRAGMA max_page_count = 1073741823'));
    }
    expect(rows(await sessionTarget('full-store'))).toEqual([
      ['human', QUESTION],
      ['gpt', ANSWER],
    ]);
  });
});
