/**
 * The OpenTelemetry SDK's own OTLP exporters against a service whose ingest queue is full (SIGNALS_INGEST_QUEUE_BYTES):
 * the export answered 503 + Retry-After is sent again by the exporter, by itself, and once the queue drained it is
 * stored and labelled like any other: nothing lost, in OTLP/JSON and protobuf.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/http/config.js';
import { startNodeServer, type NodeServer } from '../../src/http/node.js';
import { createSignalsService } from '../../src/service/service.js';
import { openStore } from '../../src/store/libsql.js';
import type { Store } from '../../src/store/types.js';
import { heldJudge } from '../helpers/held-judge.js';

// The SDK packages come from this harness's own install (test/instrumentations/node_modules), which the project's
// typecheck does not see: imported by name at run time.
const load = (name: string): Promise<any> => import(name);
const { ExportResultCode } = await load('@opentelemetry/core');
const { OTLPTraceExporter: JsonExporter } = await load('@opentelemetry/exporter-trace-otlp-http');
const { OTLPTraceExporter: ProtoExporter } = await load('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = await load('@opentelemetry/resources');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await load('@opentelemetry/sdk-trace-base');

/** What the test reads of the SDK's objects. */
type ReadableSpan = object;
interface ExportResult {
  code: number;
}
interface SpanExporter {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

let dir: string;
let store: Store;
let server: NodeServer | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signals-ingest-busy-'));
  store = await openStore({ url: join(dir, 'signals.db') });
});
afterEach(async () => {
  await server?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two finished chat spans (GenAI semantic conventions, one trace each) of service `shop`, made by the SDK. */
function chatSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('ingest-busy-test');
  for (const user of ['I want a refund for my order', 'where is my parcel']) {
    const span = tracer.startSpan('chat gpt-4o', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: user }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Let me check.' }] }]),
      },
    });
    span.end();
  }
  return memory.getFinishedSpans() as ReadableSpan[];
}

const exported = (exporter: SpanExporter, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe.each([
  ['OTLP/JSON', (url: string): SpanExporter => new JsonExporter({ url: `${url}/v1/traces` })],
  ['OTLP/protobuf', (url: string): SpanExporter => new ProtoExporter({ url: `${url}/v1/traces` })],
])('%s exporter against a full ingest queue', (_name, exporterFor) => {
  it('sends the refused export again after Retry-After, and it is stored and labelled', async () => {
    const held = heldJudge();
    const service = createSignalsService(store, { now: () => Date.now(), inline: held.judge });
    await service.api.createSignal({
      definition: { name: 'refund', agent: 'shop', scope: 'span', type: 'binary', prompt: 'Does the user ask for a refund?', judge: 'rules', rules: { when: [{ label: 'yes', if: { phrases: ['refund'] } }], default: 'no' } } as never,
      state: 'active',
    });
    // Room for one small export only: while the first waits for its (held) judging, the second is refused.
    server = await startNodeServer({ ...configFromEnv({ SIGNALS_INGEST_QUEUE_BYTES: '64' }), signals: service }, 0, '127.0.0.1');
    const answers: number[] = [];
    server.server.on('request', (_req: IncomingMessage, res: ServerResponse) =>
      res.on('finish', () => {
        answers.push(res.statusCode);
        // The first 503 has gone out: let the held export through, so the exporter's retry finds room.
        if (res.statusCode === 503) held.release();
      }),
    );
    // Without a bound the second export would wait behind the held one for good: released after 30 s, the test then
    // fails on the count of 503s instead of hanging.
    setTimeout(() => held.release(), 30_000).unref();
    const [first, second] = chatSpans();
    const exporter = exporterFor(server.url);
    const a = exported(exporter, [first]);
    await held.started;
    const b = exported(exporter, [second]);
    expect((await a).code).toBe(ExportResultCode.SUCCESS);
    expect((await b).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    // The second export was refused once (503), then taken by the exporter's own retry.
    expect(answers.filter((s) => s === 503)).toHaveLength(1);
    expect(answers.filter((s) => s === 200)).toHaveLength(2);
    const labels = (await service.api.labels('refund', { limit: 10 })).items.map((l) => l.value).sort();
    expect(labels).toEqual(['no', 'yes']);
  });
});
