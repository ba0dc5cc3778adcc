import { describe, expect, it } from 'vitest';
import { openAIToMessages } from './openai.js';
import { otelMessagesToOpenAI } from './otel-genai-messages.js';

describe('otelMessagesToOpenAI', () => {
  it('maps text, tool_call and tool_call_response parts and drops system messages', () => {
    const rows = openAIToMessages(
      otelMessagesToOpenAI(
        [
          { role: 'system', parts: [{ type: 'text', content: 'sys' }] },
          { role: 'user', parts: [{ type: 'text', content: 'hi' }, { type: 'blob', mime_type: 'image/png' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'text', content: 'calling' },
              { type: 'tool_call', id: '1', name: 'a', arguments: '{"x":1}' },
              { type: 'tool_call', id: '2', name: 'b' },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: '1', response: { ok: true } }, { type: 'tool_call_response', id: '2', response: 'fine' }] },
          { role: 'critic', parts: [{ type: 'text', content: 'custom role' }] },
        ],
        'span',
      ),
    );
    expect(rows).toEqual([
      { from: 'human', value: 'hi' },
      { from: 'gpt', value: 'calling' },
      { from: 'function_call', value: '{"name":"a","arguments":"{\\"x\\":1}"}' },
      { from: 'function_call', value: '{"name":"b","arguments":""}' },
      { from: 'observation', value: '{"ok":true}' },
      { from: 'observation', value: 'fine' },
    ]);
  });

  it('reads tool responses sent in a user message as observations only', () => {
    const rows = openAIToMessages(otelMessagesToOpenAI([{ role: 'user', parts: [{ type: 'tool_call_response', id: '1', response: 'r' }] }], 'span'));
    expect(rows).toEqual([{ from: 'observation', value: 'r' }]);
  });

  it('rejects a message without parts', () => {
    expect(() => otelMessagesToOpenAI([{ role: 'user', content: 'x' }], 'span gen_ai.input.messages')).toThrow(
      'span gen_ai.input.messages[0]: message must be an object with a "parts" array',
    );
  });
});
