import { describe, expect, it } from 'vitest';
import type { CapturedSpan } from '../captured-span.js';
import { assembleConversations, isoTime } from './assemble.js';

function span(spanId: string, parentSpanId: string, start: number, kind: CapturedSpan['kind'], messages: object[], extra: Partial<CapturedSpan> = {}): CapturedSpan {
  return {
    traceId: 't1',
    spanId,
    parentSpanId,
    name: spanId,
    agent: 'bot',
    sessionId: null,
    convention: 'genai-semconv',
    kind,
    startTimeUnixNano: `${start}000000000`,
    endTimeUnixNano: `${start + 1}000000000`,
    model: null,
    messages: messages as CapturedSpan['messages'],
    unreadable: false,
    ...extra,
  };
}
const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });
const call = { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] };
const result = { role: 'tool', tool_call_id: 'c', content: 'ok' };

describe('assembleConversations', () => {
  it('gives the same conversations whether spans share their message objects (as the store reads them) or not', () => {
    // Growing histories over three traces of one session: tool rounds, a repeated identical message, a history that
    // drops its oldest turns, and tool spans; each span's history holds the earlier spans' very objects.
    const history: object[] = [{ role: 'system', content: 'be brief' }];
    const spans: CapturedSpan[] = [];
    for (let turn = 0; turn < 9; turn++) {
      const traceId = `t${Math.floor(turn / 3)}`;
      history.push(user(turn % 4 === 3 ? 'ok' : `question ${turn}`));
      const toolCall = { role: 'assistant', content: '', tool_calls: [{ id: `c${turn}`, type: 'function', function: { name: 'lookup', arguments: `{"n": ${turn}}` } }] };
      const toolResult = { role: 'tool', tool_call_id: `c${turn}`, content: turn % 2 ? 'error: timeout' : 'ok' };
      const sent = turn === 7 ? history.slice(3) : history.slice();
      spans.push(span(`a${turn}`, '', turn * 10, 'llm', [...sent, toolCall], { traceId, sessionId: 's' }));
      spans.push(span(`tool${turn}`, `a${turn}`, turn * 10 + 1, 'tool', [toolCall, toolResult], { traceId }));
      history.push(toolCall, toolResult);
      spans.push(span(`b${turn}`, '', turn * 10 + 2, 'llm', [...history.slice(), assistant('ok')], { traceId }));
      history.push(assistant('ok'));
    }
    const apart = spans.map((s) => ({ ...s, messages: structuredClone(s.messages) }));
    for (const group of ['span', 'trace', 'session'] as const) expect(assembleConversations(spans, group)).toEqual(assembleConversations(apart, group));
    const [session] = assembleConversations(spans, 'session');
    expect(session.messages.filter((row) => row.from === 'observation')).toHaveLength(9);
  });

  it("keeps a single call's rows as sent, repeats and tool rounds included", () => {
    const [one] = assembleConversations([span('only', '', 1, 'llm', [user('a'), assistant('b'), user('a'), assistant('b'), call, result, call, result])], 'span');
    expect(one.messages.map((row) => [row.from, row.value])).toEqual([
      ['human', 'a'],
      ['gpt', 'b'],
      ['human', 'a'],
      ['gpt', 'b'],
      ...[0, 1].flatMap(() => [
        ['function_call', '{"name":"f","arguments":"{}"}'],
        ['observation', 'ok'],
      ]),
    ]);
  });

  it('skips an outer span whose LLM children carry the messages, but keeps an LLM span with a nested tool run', () => {
    const spans = [
      span('outer', '', 0, 'llm', [user('q'), assistant('final')]),
      span('llm1', 'outer', 1, 'llm', [user('q'), call]),
      span('tool', 'llm1', 2, 'tool', [call, result]),
      span('llm2', 'outer', 3, 'llm', [user('q'), call, result, assistant('final')]),
    ];
    const [conversation] = assembleConversations(spans);
    expect(conversation.messages.map((row) => row.from)).toEqual(['human', 'function_call', 'observation', 'gpt']);
    expect(conversation.meta?.span_ids).toEqual(['llm1', 'tool', 'llm2']);
  });

  it('gives a trace the session another of its spans names, and orders by start time', () => {
    const spans = [
      span('b', '', 5, 'llm', [user('second')], { traceId: 't2' }),
      span('root', '', 4, 'other', [], { traceId: 't2', sessionId: 's' }),
      span('a', '', 1, 'llm', [user('first')], { sessionId: 's' }),
    ];
    const [conversation] = assembleConversations(spans, 'session');
    expect(conversation.id).toBe('s');
    expect(conversation.messages.map((row) => row.value)).toEqual(['first', 'second']);
    expect(conversation.meta).toMatchObject({ session_id: 's', trace_ids: ['t1', 't2'], start_time: '1970-01-01T00:00:01.000Z', end_time: '1970-01-01T00:00:06.000Z' });
  });

  it('leaves out unreadable spans and spans without messages', () => {
    expect(assembleConversations([span('x', '', 1, 'other', [], { unreadable: true })])).toEqual([]);
  });

  it('formats nanosecond times as ISO, null when absent', () => {
    expect(isoTime('1735725600123456789')).toBe('2025-01-01T10:00:00.123Z');
    expect(isoTime('0')).toBeNull();
    expect(isoTime('soon')).toBeNull();
  });
});
