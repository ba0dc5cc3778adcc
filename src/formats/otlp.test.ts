import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { otlpConversations, otlpToConversations } from './otlp.js';

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/formats/otlp-agent.json', import.meta.url), 'utf8'));

function span(traceId: string, start: string, input: unknown[], output: unknown[] = []) {
  return {
    traceId,
    spanId: start,
    startTimeUnixNano: start,
    attributes: [
      { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify(input) } },
      { key: 'gen_ai.output.messages', value: { stringValue: JSON.stringify(output) } },
    ],
  };
}
const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });
const exportOf = (...spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

describe('otlpToConversations', () => {
  it('groups by conversation id, orders calls by start time and drops the repeated history', () => {
    const [agent, other] = otlpToConversations(fixture);
    expect(agent.id).toBe('conv-1');
    expect(agent.meta).toMatchObject({ agent: 'agent', session_id: 'conv-1', trace_id: 'aaaa', span_id: 's3', llm_calls: 3, tool_calls: 0 });
    expect(agent.messages).toEqual([
      { from: 'human', value: 'Book a table for two' },
      { from: 'function_call', value: '{"name":"book_table","arguments":"{\\"people\\":2}"}' },
      { from: 'observation', value: '503 Service Unavailable' },
      { from: 'gpt', value: 'The booking service is down.' },
      { from: 'human', value: 'ok thanks' },
      { from: 'gpt', value: "You're welcome." },
    ]);
    expect(other).toMatchObject({ id: 'bbbb', messages: [{ from: 'human', value: 'hello' }], meta: { session_id: null, trace_id: 'bbbb', span_id: 'x1', llm_calls: 1 } });
  });

  it('keeps the overlap when a framework trims old turns, and appends calls that only send new messages', () => {
    const trimmed = otlpToConversations(
      exportOf(
        span('t', '1', [text('user', 'a')], [text('assistant', 'b')]),
        span('t', '2', [text('assistant', 'b'), text('user', 'c')], [text('assistant', 'd')]),
        span('t', '3', [text('user', 'e')]),
      ),
    );
    expect(trimmed[0].messages.map((row) => row.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('returns no conversation for an export without GenAI message attributes', () => {
    expect(otlpToConversations(exportOf({ traceId: 't', attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }] }))).toEqual([]);
  });

  it('reports the span whose messages are not JSON instead of dropping the export', () => {
    const bad = { traceId: 't', spanId: 'b', name: 'chat', attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: '[{' } }] };
    const good = span('t', '2', [text('user', 'a')]);
    const { conversations, warnings } = otlpConversations(exportOf(bad, good));
    expect(conversations.map((c) => c.messages)).toEqual([[{ from: 'human', value: 'a' }]]);
    expect(warnings).toEqual([{ name: 'chat', traceId: 't', spanId: 'b', reason: 'genai-semconv: attribute gen_ai.input.messages is not valid JSON' }]);
  });

  it('rejects an export without resourceSpans', () => {
    expect(() => otlpToConversations({ spans: [] })).toThrow('OTLP export must have a "resourceSpans" array');
    expect(() => otlpToConversations({ resourceSpans: [{ scopeSpans: {} }] })).toThrow('resourceSpans[0]: "scopeSpans" must be an array, got object');
  });
});
