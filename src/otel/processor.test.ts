import { readFileSync } from 'node:fs';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryTracer } from '../../test/helpers/memory-tracer.js';
import { libraryReports, sampleJsonl } from '../../test/helpers/sample.js';
import type { SignalGroup } from '../core/types.js';
import { SignalsSpanProcessor, type SignalsSpanProcessorOptions } from './processor.js';

/** Example E19 of the spec as a GenAI span's `gen_ai.input.messages` records it. */
const E19_GENAI_INPUT = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/otel/e19.json', import.meta.url), 'utf8')) as { genai: unknown[] }
).genai;

const text = (content: string) => [{ type: 'text', content }];

/** The one-line setup of docs/instrumentations.md: the exporting processor wrapped in a SignalsSpanProcessor. */
const pipeline = (options?: SignalsSpanProcessorOptions) => memoryTracer((exporting) => new SignalsSpanProcessor(exporting, options));

type OpenAIMessage = {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
};

/** An OpenAI chat message as the GenAI conventions record it (the inverse of the formats' reader). */
function toGenAI(message: OpenAIMessage) {
  if (message.role === 'tool') {
    return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: message.content }] };
  }
  const calls = (message.tool_calls ?? []).map((c) => ({ type: 'tool_call', id: c.id, name: c.function.name, arguments: c.function.arguments }));
  return { role: message.role, parts: [...(message.content ? text(message.content) : []), ...calls] };
}


function eventsOf(span: ReadableSpan): Array<[string, Record<string, unknown>]> {
  return span.events.map((event) => [event.name, { ...event.attributes }]);
}

let sdk: ReturnType<typeof pipeline> | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  diag.disable();
});

describe('SignalsSpanProcessor with the real SDK', () => {
  it('enriches a GenAI span from gen_ai.input.messages before export (E19)', async () => {
    sdk = pipeline();
    const span = sdk.tracer.startSpan('chat gpt-4o', {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': JSON.stringify(E19_GENAI_INPUT) },
    });
    span.end();
    const [exported] = await sdk.finishedSpans();

    expect(exported.name).toBe('chat gpt-4o');
    expect(exported.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'signals.quality': 'neutral',
      'signals.quality_score': 47,
      'signals.turn_count': 2,
      'signals.efficiency_score': 1,
      'signals.environment.exhaustion.count': 1,
      'signals.environment.exhaustion.severity': 1,
    });
    expect(eventsOf(exported).map(([name]) => name)).toEqual(['signal.environment.exhaustion.api_error', 'gen_ai.evaluation.result']);
    expect(eventsOf(exported)[0][1]['signal.message_index']).toBe(2);
  });

  it('appends gen_ai.output.messages after the input (E6 repetition in the answer) and flags concerning spans', async () => {
    sdk = pipeline({ evaluationEvents: false });
    const sorry = 'I am sorry, I cannot find any order with that tracking number.';
    const span = sdk.tracer.startSpan('chat', {
      attributes: {
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: text('Where is my package?') },
          { role: 'assistant', parts: text(sorry) },
          { role: 'user', parts: text('It is 1Z999') },
        ]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: text(sorry), finish_reason: 'stop' }]),
      },
    });
    span.end();
    const [exported] = await sdk.finishedSpans();
    expect(eventsOf(exported).map(([name, a]) => [name, a['signal.message_index']])).toEqual([
      ['signal.interaction.stagnation.repetition', 3],
    ]);

    const angry = sdk.tracer.startSpan('chat', {
      attributes: { 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: text('This is useless, let me speak to a manager') }]) },
    });
    angry.end();
    expect((await sdk.finishedSpans())[1].name).toBe('chat 🚩');
  });

  it('leaves spans without GenAI messages untouched', async () => {
    sdk = pipeline();
    const span = sdk.tracer.startSpan('GET /health', { attributes: { 'http.request.method': 'GET' } });
    span.addEvent('ready');
    span.end();
    const [exported] = await sdk.finishedSpans();
    expect(exported.name).toBe('GET /health');
    expect(exported.attributes).toEqual({ 'http.request.method': 'GET' });
    expect(exported.events.map((e) => e.name)).toEqual(['ready']);
  });

  it('is a pass-through when enabled is false', async () => {
    sdk = pipeline({ enabled: false });
    const attributes = { 'gen_ai.input.messages': JSON.stringify(E19_GENAI_INPUT) };
    const span = sdk.tracer.startSpan('chat', { attributes });
    span.end();
    const [exported] = await sdk.finishedSpans();
    expect(exported.attributes).toEqual(attributes);
    expect(exported.events).toEqual([]);
  });

  it('reports malformed messages through diag and never throws from span.end()', async () => {
    sdk = pipeline();
    const logger: DiagLogger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn(), verbose: vi.fn() };
    diag.setLogger(logger, DiagLogLevel.WARN);
    const span = sdk.tracer.startSpan('chat', { attributes: { 'gen_ai.input.messages': '[{"role":"user"' } });
    expect(() => span.end()).not.toThrow();
    const [exported] = await sdk.finishedSpans();
    expect(Object.keys(exported.attributes)).toEqual(['gen_ai.input.messages']);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('left unannotated'));
  });

  describe('OpenAI sample conversations recorded as GenAI spans give what the library gives on their ShareGPT rows', () => {
    const references = new Map(libraryReports('openai').map((r) => [r.id, r.report]));
    const conversations = sampleJsonl<{ id: string; messages: OpenAIMessage[] }>('openai');

    it.each(conversations.map((c) => [c.id, c.messages] as const))('%s', async (id, messages) => {
      const reference = references.get(id);
      if (reference === undefined) throw new Error(`no reference report for ${id}`);
      // The last LLM call of the run: the history as input, the final assistant turn as output.
      const last = messages.at(-1)?.role === 'assistant' ? messages.length - 1 : messages.length;
      sdk = pipeline({ evaluationEvents: false });
      const span = sdk.tracer.startSpan('chat', {
        attributes: {
          'gen_ai.input.messages': JSON.stringify(messages.slice(0, last).map(toGenAI)),
          'gen_ai.output.messages': JSON.stringify(messages.slice(last).map(toGenAI)),
        },
      });
      span.end();
      const [exported] = await sdk.finishedSpans();

      expect(exported.attributes['signals.quality']).toBe(reference.overall_quality);
      const groups = [reference.interaction_signals, reference.execution_signals, reference.environment_signals].flatMap(
        (layer): SignalGroup[] => Object.values(layer),
      );
      const expected = groups.flatMap((g) => g.signals).map((s) => [s.signal_type, s.message_index, s.snippet]);
      const actual = eventsOf(exported).map(([, a]) => [a['signal.type'], a['signal.message_index'], a['signal.snippet'] ?? '']);
      expect(actual).toEqual(expected);
    });
  });

  it('forwards flush and shutdown to the wrapped processor', async () => {
    const next = { onStart: vi.fn(), onEnd: vi.fn(), forceFlush: vi.fn(async () => {}), shutdown: vi.fn(async () => {}) };
    const processor = new SignalsSpanProcessor(next);
    await processor.forceFlush();
    await processor.shutdown();
    expect(next.forceFlush).toHaveBeenCalledOnce();
    expect(next.shutdown).toHaveBeenCalledOnce();
  });
});
