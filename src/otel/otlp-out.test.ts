import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../core/index.js';
import { detectFormat, openAIToMessages, toConversations } from '../formats/index.js';
import type { Message, SignalGroup } from '../core/types.js';
import { sampleJsonl } from '../../test/helpers/sample.js';
import { DOUBLE_KEYS } from './attributes.js';
import { createOtlpFileWriter } from './otlp-out.js';
import type { ExportTraceServiceRequest, OtlpAnyValue, OtlpKeyValue, OtlpSpan } from './otlp-types.js';

const E19_OPENAI = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/otel/e19.json', import.meta.url), 'utf8')) as { openai: unknown[] }
).openai;

/** The bundled sample (25 ShareGPT conversations with `meta.success`). */
function sample(): Array<{ id: string; messages: Message[]; meta: Record<string, unknown> }> {
  return sampleJsonl('sharegpt');
}

const dir = mkdtempSync(join(tmpdir(), 'otlp-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readLines(path: string): ExportTraceServiceRequest[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as ExportTraceServiceRequest);
}

function spansOf(requests: ExportTraceServiceRequest[]): OtlpSpan[] {
  return requests.flatMap((r) => r.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []);
}

function valueOf(list: OtlpKeyValue[] | undefined, key: string): OtlpAnyValue | undefined {
  return list?.find((kv) => kv.key === key)?.value;
}

/** The one OTLP/JSON scalar encoding: string, int64 as decimal string, double as number, bool. */
function expectScalar(key: string, value: OtlpAnyValue): void {
  const fields = Object.keys(value);
  expect(fields, key).toHaveLength(1);
  const [field] = fields;
  if (field === 'stringValue') expect(typeof value.stringValue, key).toBe('string');
  else if (field === 'intValue') expect(value.intValue, key).toMatch(/^-?\d+$/);
  else if (field === 'doubleValue') expect(typeof value.doubleValue, key).toBe('number');
  else expect(typeof value.boolValue, key).toBe('boolean');
  if (DOUBLE_KEYS.has(key)) expect(field, key).toBe('doubleValue');
}

describe('createOtlpFileWriter', () => {
  it('writes example E19 with the spec types: doubles as doubleValue even when integral, ints as strings', async () => {
    const path = join(dir, 'e19.otlp.jsonl');
    const writer = createOtlpFileWriter(path);
    writer.write('e19', analyze(openAIToMessages(E19_OPENAI)), { success: true, reward: 0.5, labels: { task: 1 } });
    await writer.close();

    const [span] = spansOf(readLines(path));
    expect(span.name).toBe('signals.analyze e19');
    expect(span.attributes).toEqual([
      { key: 'gen_ai.conversation.id', value: { stringValue: 'e19' } },
      { key: 'agent_signals.meta.success', value: { boolValue: true } },
      { key: 'agent_signals.meta.reward', value: { doubleValue: 0.5 } },
      { key: 'signals.quality', value: { stringValue: 'neutral' } },
      { key: 'signals.quality_score', value: { doubleValue: 47 } },
      { key: 'signals.turn_count', value: { intValue: '2' } },
      { key: 'signals.efficiency_score', value: { doubleValue: 1 } },
      { key: 'signals.environment.exhaustion.count', value: { intValue: '1' } },
      { key: 'signals.environment.exhaustion.severity', value: { intValue: '1' } },
    ]);
    const [signal, evaluation] = span.events ?? [];
    expect(signal.name).toBe('signal.environment.exhaustion.api_error');
    expect(signal.attributes).toEqual([
      { key: 'signal.type', value: { stringValue: 'environment.exhaustion.api_error' } },
      { key: 'signal.message_index', value: { intValue: '2' } },
      { key: 'signal.confidence', value: { doubleValue: 0.8999999761581421 } },
      { key: 'signal.snippet', value: { stringValue: '503 Service Unavailable' } },
      { key: 'signal.metadata', value: { stringValue: '{"exhaustion_type":"api_error","matched":"503 service unavailable"}' } },
    ]);
    expect(valueOf(evaluation.attributes, 'gen_ai.evaluation.score.value')).toEqual({ doubleValue: 1 });
  });

  it('writes every sample conversation as one span, in ExportTraceServiceRequest lines of chunkSize spans', async () => {
    const conversations = sample();
    const metas = conversations.map((c) => c.meta);
    const path = join(dir, 'tau.otlp.jsonl');
    const writer = createOtlpFileWriter(path, { chunkSize: 10 });
    const reports = conversations.map((c, i) => {
      const report = analyze(c.messages);
      writer.write(c.id, report, metas[i]);
      return report;
    });
    await writer.close();

    const requests = readLines(path);
    expect(requests.map((r) => spansOf([r]).length)).toEqual([10, 10, 5]);
    for (const request of requests) {
      expect(detectFormat(request)).toBe('otlp');
      expect(toConversations(request, 'otlp')).toEqual([]);
      const [resourceSpans] = request.resourceSpans ?? [];
      expect(valueOf(resourceSpans.resource?.attributes, 'service.name')).toEqual({ stringValue: 'agent-signals' });
    }

    const spans = spansOf(requests);
    expect(spans.map((s) => valueOf(s.attributes, 'gen_ai.conversation.id')?.stringValue)).toEqual(conversations.map((c) => c.id));
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(spans.length);
    spans.forEach((span, i) => {
      const report = reports[i];
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.parentSpanId ?? '').toBe('');
      expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
      expect(span.endTimeUnixNano).toMatch(/^\d{19}$/);
      expect(span.name.startsWith(`signals.analyze ${conversations[i].id}`)).toBe(true);
      for (const { key, value } of span.attributes ?? []) expectScalar(key, value);
      expect(valueOf(span.attributes, 'signals.quality')).toEqual({ stringValue: report.overall_quality });
      expect(valueOf(span.attributes, 'signals.quality_score')).toEqual({ doubleValue: report.quality_score });
      expect(valueOf(span.attributes, 'signals.turn_count')).toEqual({ intValue: String(report.turn_metrics.total_turns) });
      expect(valueOf(span.attributes, 'agent_signals.meta.success')).toEqual({ boolValue: metas[i].success });
      const signalCount = [report.interaction_signals, report.execution_signals, report.environment_signals]
        .flatMap((layer): SignalGroup[] => Object.values(layer))
        .reduce((sum, group) => sum + group.count, 0);
      expect((span.events ?? []).filter((e) => e.name.startsWith('signal.'))).toHaveLength(signalCount);
      for (const event of span.events ?? []) {
        expect(event.timeUnixNano).toMatch(/^\d{19}$/);
        for (const { key, value } of event.attributes ?? []) expectScalar(key, value);
      }
    });
  });

  it('keeps every event of a conversation with more signals than the SDK default limit of 128 events', async () => {
    const report = analyze(Array.from({ length: 100 }, () => ({ from: 'human', value: 'THIS IS NOT WORKING' })));
    const path = join(dir, 'many.otlp.jsonl');
    const writer = createOtlpFileWriter(path);
    writer.write('many', report);
    await writer.close();
    const [span] = spansOf(readLines(path));
    const signals = (span.events ?? []).filter((e) => e.name.startsWith('signal.'));
    const expected = [report.interaction_signals, report.execution_signals, report.environment_signals]
      .flatMap((layer): SignalGroup[] => Object.values(layer))
      .flatMap((group) => group.signals.map((signal) => `signal.${signal.signal_type}`));
    expect(signals.length).toBeGreaterThan(128);
    expect(signals.map((e) => e.name)).toEqual(expected);
  });

  it('ignores sampler and limit variables meant for apps', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { OTEL_TRACES_SAMPLER: 'always_off', OTEL_SPAN_EVENT_COUNT_LIMIT: '1' });
    const path = join(dir, 'env.otlp.jsonl');
    try {
      const writer = createOtlpFileWriter(path);
      writer.write('e19', analyze(openAIToMessages(E19_OPENAI)));
      await writer.close();
    } finally {
      process.env = saved;
    }
    const spans = spansOf(readLines(path));
    expect(spans.map((s) => s.events?.length)).toEqual([2]);
  });

  it('writes an empty file when nothing was written and refuses writes after close', async () => {
    const path = join(dir, 'empty.otlp.jsonl');
    const writer = createOtlpFileWriter(path);
    await writer.close();
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(() => writer.write('late', analyze([]))).toThrow('closed');
  });
});

describe('createOtlpFileWriter on conversations read from OTLP spans', () => {
  it('keeps the source trace: same trace id, parent = the conversation span, a link to its last LLM span', async () => {
    const { otlpExport, E19_GENAI_MESSAGES, TRACE_ID } = await import('../../test/http/fixtures.js');
    const exported = otlpExport(E19_GENAI_MESSAGES) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    // A second LLM call later in the same trace, so the conversation has a first and a last span.
    const first = exported.resourceSpans[0].scopeSpans[0].spans[1];
    exported.resourceSpans[0].scopeSpans[0].spans.push({ ...first, spanId: 'aaaaaaaaaaaaaaa1', startTimeUnixNano: '1700000001950000000', endTimeUnixNano: '1700000001990000000' });
    const [conversation] = toConversations(exported, 'otlp');
    const path = join(dir, 'source-trace.otlp.jsonl');
    const writer = createOtlpFileWriter(path);
    writer.write(conversation.id, analyze(conversation.messages), conversation.meta);
    writer.write('plain', analyze(conversation.messages), { trace_id: 'lf-trace-1', span_id: 'x' });
    await writer.close();
    const [inTrace, plain] = spansOf(readLines(path));
    expect(inTrace.traceId).toBe(TRACE_ID);
    expect(inTrace.parentSpanId).toBe('5fb397be34d26b51');
    expect(inTrace.links?.map((l) => (l as { spanId?: string }).spanId)).toEqual(['aaaaaaaaaaaaaaa1']);
    expect(plain.traceId).not.toBe(TRACE_ID);
    expect(plain.parentSpanId ?? '').toBe('');
    expect(plain.links ?? []).toEqual([]);
  });
});
