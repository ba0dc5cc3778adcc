import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';

describe('detectFormat', () => {
  it('tells the message formats apart by their first telling message', () => {
    expect(detectFormat({ id: 1, messages: [{ from: 'human', value: 'hi' }] })).toBe('sharegpt');
    expect(detectFormat({ conversations: [{ from: 'human', value: 'hi' }] })).toBe('sharegpt');
    expect(detectFormat([{ role: 'user', content: 'a' }, { role: 'tool', content: 'b' }])).toBe('openai');
    expect(detectFormat({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', tool_calls: [] }] })).toBe('openai');
    expect(detectFormat({ messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] })).toBe('anthropic');
    expect(detectFormat({ messages: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }] }] })).toBe('responses');
    expect(detectFormat([{ type: 'function_call', name: 'f' }])).toBe('responses');
  });

  it('reads plain role/content messages as OpenAI, or Anthropic next to a top-level system', () => {
    expect(detectFormat({ messages: [{ role: 'user', content: 'hi' }] })).toBe('openai');
    expect(detectFormat({ system: 'rules', messages: [{ role: 'user', content: 'hi' }] })).toBe('anthropic');
  });

  it('recognizes envelopes: Responses input, OTLP export, tau results', () => {
    expect(detectFormat({ input: 'hello' })).toBe('responses');
    expect(detectFormat({ input: [{ role: 'user', content: 'x' }] })).toBe('responses');
    expect(detectFormat({ resourceSpans: [] })).toBe('otlp');
    expect(detectFormat({ task_id: 1, traj: [] })).toBe('tau');
    expect(detectFormat({ task_id: 1, messages: [], reward_info: {} })).toBe('tau');
    expect(detectFormat([{ task_id: 1, traj: [] }])).toBe('tau');
    expect(detectFormat({ info: {}, tasks: [], simulations: [] })).toBe('tau');
  });

  it('recognizes trace exports and LangChain messages', () => {
    expect(detectFormat({ id: 't', observations: [] })).toBe('langfuse');
    expect(detectFormat({ data: [{ id: 't', observations: [] }] })).toBe('langfuse');
    expect(detectFormat({ data: [{ object: 'trace.span', span_data: { type: 'function' } }] })).toBe('openai-agents');
    expect(detectFormat({ messages: [{ type: 'human', content: 'hi' }] })).toBe('langchain');
    expect(detectFormat([{ type: 'ai', content: 'hi', tool_calls: [] }])).toBe('langchain');
    expect(detectFormat({ data: [{ id: 1 }] })).toBeUndefined();
  });

  it('takes an empty message list as ShareGPT and gives up on unknown shapes', () => {
    expect(detectFormat({ id: 1, messages: [] })).toBe('sharegpt');
    expect(detectFormat({ id: 1, messages: [{}] })).toBe('sharegpt');
    expect(detectFormat({ id: 1, messages: [{ text: 'x' }, {}] })).toBe('sharegpt');
    expect(detectFormat({ id: 1 })).toBeUndefined();
    expect(detectFormat([1, 2])).toBeUndefined();
    expect(detectFormat([{ text: 'x' }])).toBeUndefined();
    expect(detectFormat('text')).toBeUndefined();
    expect(detectFormat(null)).toBeUndefined();
  });
});
