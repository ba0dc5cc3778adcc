import { describe, expect, it } from 'vitest';
import { anthropicToOpenAI } from './anthropic.js';
import { openAIToMessages } from './openai.js';

describe('anthropicToOpenAI', () => {
  it('maps text, tool_use and tool_result blocks through the OpenAI conversion', () => {
    const rows = openAIToMessages(
      anthropicToOpenAI([
        { role: 'user', content: 'Find flight UA1' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm' },
            { type: 'text', text: 'Looking it up.' },
            { type: 'tool_use', id: 't1', name: 'find_flight', input: { number: 'UA1' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'error: flight' }, { type: 'text', text: 'not found' }], is_error: true },
            { type: 'text', text: 'that is wrong' },
          ],
        },
      ]),
    );
    expect(rows).toEqual([
      { from: 'human', value: 'Find flight UA1' },
      { from: 'gpt', value: 'Looking it up.' },
      { from: 'function_call', value: '{"name":"find_flight","arguments":"{\\"number\\":\\"UA1\\"}"}' },
      { from: 'observation', value: 'error: flight\nnot found' },
      { from: 'human', value: 'that is wrong' },
    ]);
  });

  it('gives no human row for a user message that only carries tool results', () => {
    const rows = openAIToMessages(
      anthropicToOpenAI([
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'ping', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'pong' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2' }] },
      ]),
    );
    expect(rows).toEqual([
      { from: 'function_call', value: '{"name":"ping","arguments":"{}"}' },
      { from: 'observation', value: 'pong' },
      { from: 'observation', value: '' },
    ]);
  });

  it('keeps an image-only user message as an empty human row', () => {
    const rows = openAIToMessages(anthropicToOpenAI([{ role: 'user', content: [{ type: 'image', source: {} }] }]));
    expect(rows).toEqual([{ from: 'human', value: '' }]);
  });

  it('gives "" arguments to a tool_use without input', () => {
    const rows = openAIToMessages(anthropicToOpenAI([{ role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 'now' }] }]));
    expect(rows).toEqual([{ from: 'function_call', value: '{"name":"now","arguments":""}' }]);
  });

  it('rejects a non-object block and a tool_result with numeric content', () => {
    expect(() => anthropicToOpenAI([{ role: 'assistant', content: ['x'] }])).toThrow('messages[0].content[0]: block must be an object, got string');
    expect(() => anthropicToOpenAI([{ role: 'user', content: [{ type: 'tool_result', content: 5 }] }])).toThrow(
      'messages[0].content[0]: tool_result content must be a string or an array of blocks, got number',
    );
  });
});
