import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/types.js';
import type { CapturedSpan } from '../captured-span.js';
import { assembleConversations } from './assemble.js';
import { HistoryMerger, overlapLength, placeToolRuns } from './merge-history.js';

const rows = (...values: string[]): Message[] => values.map((value, i) => ({ from: i % 2 === 0 ? 'human' : 'gpt', value }));

describe('overlapLength', () => {
  it('finds the longest suffix of the history that starts the next call', () => {
    const stats = { steps: 0 };
    expect(overlapLength([1, 2, 3], [1, 2, 3, 4], stats)).toBe(3);
    expect(overlapLength([1, 2, 3], [2, 3, 9], stats)).toBe(2);
    expect(overlapLength([1, 2, 1, 2], [1, 2, 1, 2, 1], stats)).toBe(4);
    expect(overlapLength([1, 1, 1], [1, 1], stats)).toBe(2);
    expect(overlapLength([1, 2, 3], [4], stats)).toBe(0);
    expect(overlapLength([], [1], stats)).toBe(0);
    expect(overlapLength([5, 1, 2, 1], [1, 2, 1, 3], stats)).toBe(3);
  });
});

describe('HistoryMerger', () => {
  it('appends only what each call adds, keeps trimmed overlaps and calls that send only new messages', () => {
    const merger = new HistoryMerger();
    merger.addCall(rows('a', 'b'));
    merger.addCall(rows('a', 'b', 'c', 'd'));
    merger.addCall([{ from: 'human', value: 'c' }, { from: 'gpt', value: 'd' }, { from: 'human', value: 'e' }]);
    merger.addCall([{ from: 'human', value: 'f' }]);
    expect(merger.rows.map((row) => row.value)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps a message the user really repeats', () => {
    const merger = new HistoryMerger();
    merger.addCall(rows('hi', 'hello'));
    merger.addCall(rows('hi', 'hello', 'hi', 'hello again'));
    expect(merger.rows.map((row) => row.value)).toEqual(['hi', 'hello', 'hi', 'hello again']);
  });

  it('answers unanswered calls by call id, then by tool name and position, keeping the model\'s arguments', () => {
    const call = (name: string, args: string): Message => ({ from: 'function_call', value: JSON.stringify({ name, arguments: args }) });
    const result = (value: string): Message => ({ from: 'observation', value });
    const history: Message[] = [{ from: 'human', value: 'q' }, call('a', '{"x":1}'), call('b', '{}'), call('a', '{"x":2}'), { from: 'gpt', value: 'done' }];
    const ids = ['', 'id-a1', '', 'id-a2', ''];
    const runs = [
      // Out of order, with arguments the tool wrapper saw rather than the model's.
      { call: call('a', '{"args":[],"kwargs":{}}'), result: result('A2'), callId: 'id-a2', at: 5 },
      { call: call('b', '"x"'), result: result('B'), callId: '', at: 5 },
      { call: call('a', '{}'), result: result('A1'), callId: '', at: 5 },
      { call: call('c', '{}'), result: result('C'), callId: '', at: 5 },
    ];
    const out = placeToolRuns(history, ids, runs).map((row) => (row.from === 'function_call' ? `${JSON.parse(row.value).name}${JSON.parse(row.value).arguments}` : row.value));
    expect(out).toEqual(['q', 'a{"x":1}', 'b{}', 'a{"x":2}', 'A1', 'B', 'A2', 'done', 'c{}', 'C']);
  });

  it('keeps the result the model saw when its history already answers the call, whatever the tool span says', () => {
    const history: Message[] = [
      { from: 'human', value: 'q' },
      { from: 'function_call', value: '{"name":"f","arguments":"{}"}' },
      { from: 'observation', value: 'Error: 503 Service Unavailable' },
      { from: 'gpt', value: 'sorry' },
    ];
    const run = { call: history[1], result: { from: 'observation' as const, value: 'Error: something else' }, callId: '', at: 2 };
    expect(placeToolRuns(history, ['', 'c1', 'c1', ''], [run])).toEqual(history);
  });

  it('merges two 32,000-message calls in linear work (issue 16: the old overlap took 6.4 s)', () => {
    const work = (n: number): number => {
      const history = Array.from({ length: n }, (_, i): Message => ({ from: i % 2 === 0 ? 'human' : 'gpt', value: `message ${i % 7}` }));
      const merger = new HistoryMerger();
      merger.addCall(history);
      merger.addCall([...history, { from: 'human', value: 'one more' }]);
      expect(merger.rows.length).toBe(n + 1);
      return merger.stats.steps;
    };
    const small = work(1000);
    const large = work(32000);
    // KMP makes at most ~2 comparisons per key of the pattern and of the text: 4n; a quadratic scan is n²/2.
    expect(large).toBeLessThanOrEqual(4 * 32001);
    expect(large / small).toBeLessThan(32 * 1.5);
  });

  it('assembles two 32,000-message spans end to end', () => {
    const messages = Array.from({ length: 32000 }, (_, i) => (i % 2 === 0 ? { role: 'user', content: `q${i % 5}` } : { role: 'assistant', content: `a${i % 3}` }));
    const span = (id: string, start: string, list: object[]): CapturedSpan => ({
      traceId: 't',
      spanId: id,
      parentSpanId: '',
      name: 'chat',
      agent: 'a',
      sessionId: null,
      convention: 'genai-semconv',
      kind: 'llm',
      startTimeUnixNano: start,
      endTimeUnixNano: start,
      model: null,
      messages: list as CapturedSpan['messages'],
      unreadable: false,
    });
    const [conversation] = assembleConversations([span('1', '1', messages), span('2', '2', [...messages, { role: 'user', content: 'end' }])]);
    expect(conversation.messages.length).toBe(32001);
    expect(conversation.messages[32000]).toEqual({ from: 'human', value: 'end' });
  });
});
