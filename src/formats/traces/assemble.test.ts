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
