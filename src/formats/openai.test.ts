import { describe, expect, it } from 'vitest';
import { FormatError } from './format-error.js';
import { openAIContentText, openAIToMessages, toolCallRowValue } from './openai.js';

describe('openAIToMessages', () => {
  it('maps the spec E19 example', () => {
    const rows = openAIToMessages([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '503 Service Unavailable' },
      { role: 'assistant', content: [{ type: 'text', text: 'The weather service is down.' }, { type: 'text', text: 'Try later?' }] },
      { role: 'user', content: 'ok thanks' },
    ]);
    expect(rows).toEqual([
      { from: 'human', value: 'Weather in Paris?' },
      { from: 'function_call', value: '{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}' },
      { from: 'observation', value: '503 Service Unavailable' },
      { from: 'gpt', value: 'The weather service is down.\nTry later?' },
      { from: 'human', value: 'ok thanks' },
    ]);
  });

  it('keeps empty user and tool messages, drops empty assistant text and developer messages', () => {
    const rows = openAIToMessages([
      { role: 'developer', content: 'rules' },
      { role: 'user', content: '' },
      { role: 'assistant', content: '' },
      { role: 'assistant' },
      { role: 'tool', content: null },
    ]);
    expect(rows).toEqual([
      { from: 'human', value: '' },
      { from: 'observation', value: '' },
    ]);
  });

  it('writes a gpt row before one function_call row per tool call, and a legacy function_call last', () => {
    const rows = openAIToMessages([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { function: { name: 'a', arguments: '{}' } },
          { function: { name: 'b', arguments: 'not json (' } },
        ],
        function_call: { name: 'legacy', arguments: '{"x":1}' },
      },
      { role: 'function', name: 'legacy', content: 'done' },
    ]);
    expect(rows.map((row) => row.from)).toEqual(['gpt', 'function_call', 'function_call', 'function_call', 'observation']);
    expect(rows[2].value).toBe('{"name":"b","arguments":"not json ("}');
    expect(rows[3].value).toBe('{"name":"legacy","arguments":"{\\"x\\":1}"}');
  });

  it('ignores tool calls on user messages (tau2 user-side tools) and keeps one human row', () => {
    const rows = openAIToMessages([{ role: 'user', content: 'hi', tool_calls: [{ function: { name: 'toggle', arguments: '{}' } }] }]);
    expect(rows).toEqual([{ from: 'human', value: 'hi' }]);
  });

  it('rejects unknown roles and non-object messages with the message index', () => {
    expect(() => openAIToMessages([{ role: 'user', content: 'a' }, { role: 'critic', content: 'b' }])).toThrow('messages[1]: unknown role "critic"');
    expect(() => openAIToMessages(['hello'])).toThrow(FormatError);
    expect(() => openAIToMessages([{ content: 'no role' }])).toThrow('unknown role null');
  });

  it('rejects a non-array tool_calls', () => {
    expect(() => openAIToMessages([{ role: 'assistant', tool_calls: {} }])).toThrow('messages[0]: tool_calls must be an array, got object');
  });
});

describe('openAIContentText', () => {
  it('joins text parts with a newline and skips other parts', () => {
    const content = [{ type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'a' }, { type: 'input_audio' }, { type: 'text', text: 'b' }];
    expect(openAIContentText(content, 'm')).toBe('a\nb');
  });

  it('gives "" for parts without text, null and absent content', () => {
    expect(openAIContentText([{ type: 'image_url' }], 'm')).toBe('');
    expect(openAIContentText(null, 'm')).toBe('');
    expect(openAIContentText(undefined, 'm')).toBe('');
  });

  it('rejects a number', () => {
    expect(() => openAIContentText(3, 'messages[2]')).toThrow('messages[2]: content must be a string, an array of parts or null, got number');
  });
});

describe('toolCallRowValue', () => {
  it('gives "" arguments when they are missing or null', () => {
    expect(toolCallRowValue({ function: { name: 'ping' } }, 'c')).toBe('{"name":"ping","arguments":""}');
    expect(toolCallRowValue({ function: { name: 'ping', arguments: null } }, 'c')).toBe('{"name":"ping","arguments":""}');
  });

  it('serializes object arguments (flat tau2 calls) and keeps an empty name', () => {
    expect(toolCallRowValue({ name: '', arguments: { b: 2, a: [1] } }, 'c')).toBe('{"name":"","arguments":"{\\"b\\":2,\\"a\\":[1]}"}');
  });

  it('escapes like the reference', () => {
    expect(toolCallRowValue({ function: { name: 'q', arguments: 'é/\u0001"' } }, 'c')).toBe('{"name":"q","arguments":"é/\\u0001\\""}');
  });

  it('rejects a non-string name', () => {
    expect(() => toolCallRowValue({ function: { name: 7 } }, 'messages[0].tool_calls[0]')).toThrow('messages[0].tool_calls[0]: tool call name must be a string, got number');
  });
});
