import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, serializeReport } from '../../core/index.js';
import type { SignalReport } from '../../core/types.js';
import { detectFormat } from '../detect.js';
import { openAIToMessages } from '../openai.js';
import { readRecord } from '../to-conversations.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/traces/${name}`, import.meta.url), 'utf8'));

function signalTypes(report: SignalReport): string[] {
  const types: string[] = [];
  for (const layer of [report.interaction_signals, report.execution_signals, report.environment_signals]) {
    for (const group of Object.values(layer)) for (const signal of group.signals) types.push(signal.signal_type);
  }
  return types.sort();
}

// One conversation (weather question, tool answers 503, user: "not what I asked … I give up") in every convention.
const CASES: Array<[string, string, string]> = [
  ['semconv.json', 'otlp', 'conv-weather-1'],
  ['semconv-structured.json', 'otlp', 'conv-weather-1'],
  ['genai-events.json', 'otlp', '5b8efff798038103d269b633813fc60c'],
  ['genai-content-events.json', 'otlp', '5b8efff798038103d269b633813fc60c'],
  ['openllmetry.json', 'otlp', 'conv-weather-1'],
  ['openinference.json', 'otlp', 'conv-weather-1'],
  ['vercel-ai.json', 'otlp', 'conv-weather-1'],
  ['langfuse-otel.json', 'otlp', 'conv-weather-1'],
  ['langfuse-export.json', 'langfuse', 'conv-weather-1'],
  ['openai-agents.json', 'openai-agents', 'thread-weather-1'],
  ['langchain.json', 'langchain', 'weather-1'],
  ['sharegpt-roles.json', 'sharegpt', 'weather-1'],
];

describe('the same conversation in every convention', () => {
  const openai = fixture('openai-messages.json') as { messages: unknown[] };
  const expected = analyze(openAIToMessages(openai.messages));

  it('gives, in its OpenAI form, the signals a reader expects', () => {
    expect(signalTypes(expected)).toEqual([
      'environment.exhaustion.api_error',
      'interaction.disengagement.quit',
      'interaction.misalignment.correction',
    ]);
  });

  it.each(CASES)('%s is detected as %s and gives the same report as the OpenAI messages', (name, format, id) => {
    const record = fixture(name);
    expect(detectFormat(record)).toBe(format);
    const { conversations, warnings } = readRecord(record);
    expect(warnings).toEqual([]);
    expect(conversations.map((c) => c.id)).toEqual([id]);
    const report = analyze(conversations[0].messages);
    expect(signalTypes(report)).toContain('environment.exhaustion.api_error');
    expect(signalTypes(report)).toContain('interaction.misalignment.correction');
    expect(signalTypes(report)).toContain('interaction.disengagement.quit');
    expect(serializeReport(report)).toBe(serializeReport(expected));
  });

  it('carries agent, session, traces, spans and times in meta for trace records', () => {
    const [semconv] = readRecord(fixture('semconv.json')).conversations;
    expect(semconv.meta).toEqual({
      agent: 'asst_weather',
      session_id: 'conv-weather-1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: '00f067aa0ba902b6',
      trace_ids: ['5b8efff798038103d269b633813fc60c', '0af7651916cd43dd8448eb211c80319c'],
      root_span_ids: ['00f067aa0ba902b2', '00f067aa0ba902b6'],
      span_ids: ['00f067aa0ba902b2', '00f067aa0ba902b3', '00f067aa0ba902b4', '00f067aa0ba902b6'],
      start_time: '2025-01-01T10:00:01.000Z',
      end_time: '2025-01-01T10:01:02.000Z',
      llm_calls: 3,
      tool_calls: 1,
      conventions: ['genai-semconv'],
    });
    const [agents] = readRecord(fixture('openai-agents.json')).conversations;
    expect(agents.meta).toMatchObject({ agent: 'Weather Agent', session_id: 'thread-weather-1', llm_calls: 3, tool_calls: 1 });
    const [langfuse] = readRecord(fixture('langfuse-export.json')).conversations;
    expect(langfuse.meta).toMatchObject({ agent: 'weather-chat', session_id: 'conv-weather-1', trace_ids: ['lf-trace-1', 'lf-trace-2'] });
  });

  it('groups by span, trace or session', () => {
    const record = fixture('openinference.json');
    expect(readRecord(record, { group: 'session' }).conversations.map((c) => c.id)).toEqual(['conv-weather-1']);
    expect(readRecord(record, { group: 'trace' }).conversations.map((c) => c.id)).toEqual(['5b8efff798038103d269b633813fc60c', '0af7651916cd43dd8448eb211c80319c']);
    const perSpan = readRecord(record, { group: 'span' }).conversations;
    expect(perSpan.map((c) => [c.id, c.messages.length])).toEqual([
      ['00f067aa0ba902b2', 2],
      ['00f067aa0ba902b4', 4],
      ['00f067aa0ba902b6', 6],
    ]);
    expect(readRecord(record, { agent: 'weather-bot' }).conversations[0].meta?.agent).toBe('weather-bot');
  });

  it('assembles one conversation from a mix of conventions in one trace', () => {
    const semconv = fixture('semconv.json') as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    const openinference = fixture('openinference.json') as typeof semconv;
    // First turn from OpenInference spans (LLM, TOOL, LLM), second turn from a semconv span of the same session.
    const mixed = { resourceSpans: [{ scopeSpans: [{ spans: [...openinference.resourceSpans[0].scopeSpans[0].spans.slice(0, 4)] }] }, { scopeSpans: [{ spans: [semconv.resourceSpans[0].scopeSpans[0].spans[5]] }] }] };
    const { conversations } = readRecord(mixed, { group: 'trace' });
    const [first, second] = conversations;
    expect(first.meta?.conventions).toEqual(['openinference']);
    expect(second.meta?.conventions).toEqual(['genai-semconv']);
    // Same trace ids in both fixtures: grouped by trace, the two conventions merge into the one conversation.
    const byTrace = readRecord({ resourceSpans: [...openinference.resourceSpans, ...semconv.resourceSpans] }, { group: 'trace' }).conversations;
    expect(byTrace[1].meta?.conventions).toEqual(['openinference', 'genai-semconv']);
    expect(serializeReport(analyze(byTrace[1].messages))).toBe(serializeReport(analyze(readRecord(semconv, { group: 'trace' }).conversations[1].messages)));
  });
});
