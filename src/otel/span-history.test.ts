import { describe, expect, it } from 'vitest';
import { SpanHistories } from './span-history.js';
import { spanConversation } from './span-messages.js';

const user = (content: string) => ({ role: 'user', parts: [{ type: 'text', content }] });
const assistant = (content: string) => ({ role: 'assistant', parts: [{ type: 'text', content }] });
const toolCall = (id: string) => ({ role: 'assistant', parts: [{ type: 'tool_call', id, name: 'get_order', arguments: { id: 1 } }] });
const toolResult = (id: string) => ({ role: 'tool', parts: [{ type: 'tool_call_response', id, response: 'Error 503' }] });

const span = (input: unknown[], output: unknown[], stringify: (v: unknown) => string = (v) => JSON.stringify(v)) => ({
  'gen_ai.input.messages': stringify(input),
  'gen_ai.output.messages': stringify(output),
});

/** Records `first` as read in full, then steps to `next`. */
function stepAfter(first: ReturnType<typeof span>, next: ReturnType<typeof span>) {
  const histories = new SpanHistories(10);
  histories.remember('c', first, spanConversation(first) ?? []);
  return histories.step('c', next);
}

describe('SpanHistories', () => {
  const call1 = span([user('Where is order 1?')], [toolCall('c1')]);
  const call2 = span([user('Where is order 1?'), toolCall('c1'), toolResult('c1')], [assistant('The order service is down.')]);

  it('reads only what the next input adds, giving the rows a full read adds', () => {
    const full = spanConversation(call2) ?? [];
    expect(stepAfter(call1, call2)).toEqual({ before: 2, rows: full.slice(2) });
    expect(full.slice(2).map((r) => r.from)).toEqual(['observation', 'gpt']);
  });

  it('takes JSON formatted with whitespace, and an empty input before', () => {
    const pretty = (v: unknown) => JSON.stringify(v, null, 2);
    expect(stepAfter(span([user('a')], [assistant('b')], pretty), span([user('a'), assistant('b'), user('c')], [], pretty))).toEqual({
      before: 2,
      rows: [{ from: 'human', value: 'c' }],
    });
    expect(stepAfter(span([], [assistant('b')]), span([assistant('b'), user('c')], []))).toEqual({ before: 1, rows: [{ from: 'human', value: 'c' }] });
    expect(stepAfter(call1, span([user('Where is order 1?'), toolCall('c1')], []))).toEqual({ before: 2, rows: [] });
  });

  it('gives up (the caller reads in full) when the input does not continue the last span as text', () => {
    // An edited first message, a shortened history, and an input that leaves out the last output.
    expect(stepAfter(call1, span([user('Where is order 2?'), toolCall('c1')], []))).toBeUndefined();
    expect(stepAfter(call2, span([user('Where is order 1?')], []))).toBeUndefined();
    expect(stepAfter(call1, span([user('Where is order 1?'), user('hello?')], []))).toBeUndefined();
  });

  it('gives up on unreadable new messages, and knows nothing of other conversations', () => {
    const input = JSON.stringify([user('Where is order 1?'), toolCall('c1')]);
    expect(stepAfter(call1, { 'gen_ai.input.messages': `${input.slice(0, -1)}, {"role": "user"}]` } as never)).toBeUndefined();
    expect(stepAfter(call1, { 'gen_ai.input.messages': `${input.slice(0, -1)}, nope]` } as never)).toBeUndefined();
    const histories = new SpanHistories(10);
    histories.remember('c', call1, spanConversation(call1) ?? []);
    expect(histories.step('other', call2)).toBeUndefined();
  });

  it('keeps at most max conversations, least recently used out first', () => {
    const histories = new SpanHistories(1);
    histories.remember('a', call1, spanConversation(call1) ?? []);
    histories.remember('b', call1, spanConversation(call1) ?? []);
    expect(histories.step('a', call2)).toBeUndefined();
    expect(histories.step('b', call2)).toBeDefined();
  });
});
