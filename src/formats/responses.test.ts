import { describe, expect, it } from 'vitest';
import { openAIToMessages } from './openai.js';
import { responsesToOpenAI } from './responses.js';

describe('responsesToOpenAI', () => {
  it('maps message, function_call and function_call_output items and skips reasoning', () => {
    const rows = openAIToMessages(
      responsesToOpenAI([
        { role: 'developer', content: 'be brief' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'x' }] },
        { type: 'reasoning', summary: [] },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'It is sunny.' }] },
      ]),
    );
    expect(rows).toEqual([
      { from: 'human', value: 'Weather?' },
      { from: 'function_call', value: '{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}' },
      { from: 'observation', value: 'sunny' },
      { from: 'gpt', value: 'It is sunny.' },
    ]);
  });

  it('reads a string input as one user message', () => {
    expect(openAIToMessages(responsesToOpenAI('hello'))).toEqual([{ from: 'human', value: 'hello' }]);
  });

  it('takes text from an output given as parts and serializes any other output', () => {
    const rows = openAIToMessages(
      responsesToOpenAI([
        { type: 'function_call_output', call_id: 'a', output: [{ type: 'input_text', text: 'part' }] },
        { type: 'function_call_output', call_id: 'b', output: { ok: false } },
        { type: 'function_call', call_id: 'c', name: 'noargs' },
      ]),
    );
    expect(rows).toEqual([
      { from: 'observation', value: 'part' },
      { from: 'observation', value: '{"ok":false}' },
      { from: 'function_call', value: '{"name":"noargs","arguments":""}' },
    ]);
  });

  it('rejects a non-object item and a non-array input', () => {
    expect(() => responsesToOpenAI([1])).toThrow('input[0]: item must be an object, got number');
    expect(() => responsesToOpenAI({})).toThrow('input must be a string or an array of items, got object');
  });
});
