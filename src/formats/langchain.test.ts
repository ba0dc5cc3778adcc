import { describe, expect, it } from 'vitest';
import { isLangChainMessage, langChainToOpenAI } from './langchain.js';

describe('langChainToOpenAI', () => {
  it('reads flat, {type, data} and serialized (lc) message dicts', () => {
    expect(
      langChainToOpenAI([
        { type: 'human', data: { content: 'q' } },
        { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'AIMessage'], kwargs: { content: '', additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] } } },
        { type: 'tool', content: [{ type: 'text', text: 'r' }], tool_call_id: 'c1' },
        { type: 'ai', content: [{ type: 'text', text: 'done' }], tool_calls: [] },
      ]),
    ).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'r' },
      { role: 'assistant', content: 'done' },
    ]);
  });

  it('serializes object tool-call args and rejects unknown types', () => {
    expect(langChainToOpenAI([{ type: 'ai', content: '', tool_calls: [{ name: 'f', args: { a: 1 }, id: 'c' }] }])[0]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
    });
    expect(() => langChainToOpenAI([{ type: 'human', content: 'a' }, { type: 'generic', content: 'x' }])).toThrow('messages[1]: unknown LangChain message type "generic"');
  });

  it('tells LangChain dicts from Responses items and OpenAI messages', () => {
    expect(isLangChainMessage({ type: 'human', content: 'a' })).toBe(true);
    expect(isLangChainMessage({ type: 'message', content: 'a' })).toBe(false);
    expect(isLangChainMessage({ type: 'human', role: 'user', content: 'a' })).toBe(false);
  });
});
